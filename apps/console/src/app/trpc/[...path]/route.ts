// Same-origin /trpc for the browser, forwarded to the backend named by
// BACKEND_URL when the request arrives (not when the console was built).
import { backendUrl } from '@/lib/runtime-config';

export const dynamic = 'force-dynamic';

const FORWARDED = ['authorization', 'content-type', 'accept', 'x-request-id', 'trpc-accept'];

async function forward(request: Request): Promise<Response> {
  const url = new URL(request.url);
  const target = `${backendUrl()}${url.pathname}${url.search}`;
  const headers = new Headers();
  for (const name of FORWARDED) {
    const value = request.headers.get(name);
    if (value !== null) headers.set(name, value);
  }
  const hasBody = request.method !== 'GET' && request.method !== 'HEAD';
  let upstream: Response;
  try {
    upstream = await fetch(target, {
      method: request.method,
      headers,
      body: hasBody ? await request.arrayBuffer() : undefined,
      redirect: 'manual',
      cache: 'no-store',
    });
  } catch {
    return Response.json({ error: 'The backend is unreachable' }, { status: 502 });
  }
  const out = new Headers();
  for (const name of ['content-type', 'x-request-id', 'cache-control', 'vary']) {
    const value = upstream.headers.get(name);
    if (value !== null) out.set(name, value);
  }
  return new Response(upstream.body, { status: upstream.status, headers: out });
}

export const GET = forward;
export const POST = forward;
