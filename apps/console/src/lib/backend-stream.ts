// Forwards a same-origin request to the backend and streams the answer back as
// it arrives (the audit export is too large to buffer here), keeping the
// headers a download needs. BACKEND_URL is read per request, as for /trpc.
import { backendUrl } from '@/lib/runtime-config';

const REQUEST_HEADERS = ['authorization', 'content-type', 'accept', 'x-request-id'];
const RESPONSE_HEADERS = [
  'content-type',
  'content-disposition',
  'cache-control',
  'retry-after',
  'x-content-type-options',
  'x-request-id',
];

export async function forwardToBackend(request: Request): Promise<Response> {
  const url = new URL(request.url);
  const headers = new Headers();
  for (const name of REQUEST_HEADERS) {
    const value = request.headers.get(name);
    if (value !== null) headers.set(name, value);
  }
  const hasBody = request.method !== 'GET' && request.method !== 'HEAD';
  let upstream: Response;
  try {
    upstream = await fetch(`${backendUrl()}${url.pathname}${url.search}`, {
      method: request.method,
      headers,
      body: hasBody ? await request.arrayBuffer() : undefined,
      redirect: 'manual',
      cache: 'no-store',
      // A download cancelled in the browser cancels the backend's stream too.
      signal: request.signal,
    });
  } catch {
    return Response.json({ error: 'The backend is unreachable' }, { status: 502 });
  }
  const out = new Headers();
  for (const name of RESPONSE_HEADERS) {
    const value = upstream.headers.get(name);
    if (value !== null) out.set(name, value);
  }
  return new Response(upstream.body, { status: upstream.status, headers: out });
}
