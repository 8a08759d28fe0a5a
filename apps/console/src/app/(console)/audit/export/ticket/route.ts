// A one-minute download ticket for the signed-in user's filtered audit export.
import { forwardToBackend } from '@/lib/backend-stream';

export const dynamic = 'force-dynamic';
export const POST = forwardToBackend;
