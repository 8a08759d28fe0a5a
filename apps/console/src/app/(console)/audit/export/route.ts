// The audit download (`?ticket=`), streamed from the backend's /audit/export.
import { forwardToBackend } from '@/lib/backend-stream';

export const dynamic = 'force-dynamic';
export const GET = forwardToBackend;
