// Fetch wrappers for an SDK client talking to several backend instances: no
// load balancer, no affinity. The client keeps one URL; these rewrite the
// port per request and record where each request went.

export interface RoutedRequest {
  method: string;
  port: number;
  /** JSON-RPC method of a POST body (`tools/call`, `initialize`, …). */
  rpc?: string;
  tool?: string;
  status?: number;
}

export interface RoutingFetch {
  fetch: typeof fetch;
  log: RoutedRequest[];
  /** Resolves once a GET (SSE) stream has been answered 200. */
  streamOpened: Promise<number>;
}

function describe(init: RequestInit | undefined) {
  if (typeof init?.body !== 'string') return {};
  try {
    const body = JSON.parse(init.body) as { method?: string; params?: { name?: string } };
    return { rpc: body.method, tool: body.params?.name };
  } catch {
    return {};
  }
}

/**
 * Routes each request to a port chosen by `pick` (POSTs and DELETEs) or
 * `pickGet` (GET streams). `pickGet` returning null answers 405, as a server
 * without GET streams would, so the client opens none.
 */
export function routingFetch(
  pick: (index: number) => number,
  pickGet: (index: number) => number | null = pick,
): RoutingFetch {
  const log: RoutedRequest[] = [];
  let posts = 0;
  let gets = 0;
  let opened!: (port: number) => void;
  const streamOpened = new Promise<number>((r) => (opened = r));
  const wrapped = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const method = (init?.method ?? 'GET').toUpperCase();
    const port = method === 'GET' ? pickGet(gets++) : pick(posts++);
    if (port === null) return new Response(null, { status: 405 });
    const url = new URL(input instanceof Request ? input.url : String(input));
    url.port = String(port);
    const entry: RoutedRequest = { method, port, ...describe(init) };
    log.push(entry);
    const response = await fetch(url, init);
    entry.status = response.status;
    if (method === 'GET' && response.ok) opened(port);
    return response;
  };
  return { fetch: wrapped as typeof fetch, log, streamOpened };
}

/** Alternates between the ports: request n goes to ports[n % ports.length]. */
export const roundRobin = (ports: number[]) => (index: number) =>
  ports[index % ports.length] as number;
