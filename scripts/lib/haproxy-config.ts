// HAProxy in front of N backends, as production runs them: round robin with no
// session affinity (any backend serves any session), /readyz checked every
// second, a connection a dead backend refuses retried on another one. Shared
// by `npm run cluster` (scripts/cluster.mjs imports it once on Node 24, which
// strips these types) and the soak, which adds what it decided for faults.

export interface HaproxyOptions {
  lbPort: number;
  servers: readonly { name: string; port: number }[];
  /** How long a backend may take to answer (60s: a tools/call may wait on an approval). */
  serverTimeout: string;
  /** What HAProxy retries on another backend (`conn-failure`, plus `empty-response`...). */
  retryOn: string;
  /** A dead backend is out after this many failed checks. */
  fall: number;
  /** More `defaults` lines (errorfiles...). */
  defaults?: readonly string[];
  /** More `frontend` lines, before `option forwardfor` (request ids...). */
  frontend?: readonly string[];
  /** More `backend` lines, before `default-server` (`timeout check`...). */
  backend?: readonly string[];
}

const lines = (extra: readonly string[] | undefined) =>
  (extra ?? []).map((l) => `  ${l}\n`).join('');

export function haproxyConfig(options: HaproxyOptions): string {
  const servers = options.servers.map((b) => `  server ${b.name} 127.0.0.1:${b.port} check`);
  return `global
  maxconn 4096

defaults
  mode http
  timeout connect 2s
  timeout client 60s
  timeout server ${options.serverTimeout}
  # GET /mcp event streams stay open.
  timeout tunnel 1h
  retries 3
  option redispatch 1
  retry-on ${options.retryOn}
${lines(options.defaults)}
frontend flowpos
  bind 127.0.0.1:${options.lbPort}
${lines(options.frontend)}  # The client's address for the backends' per-address limits (TRUST_PROXY).
  option forwardfor
  default_backend backends

backend backends
  balance roundrobin
  option httpchk GET /readyz
  http-check expect status 200
${lines(options.backend)}  default-server inter 1s fall ${options.fall} rise 1
${servers.join('\n')}
`;
}
