// Which era a POST /mcp belongs to. A request carrying the 2026-07-28 `_meta`
// envelope, or a revision header naming a version after 2025, is classified
// by the SDK's own classifier (the one behind isLegacyRequest, given the
// headers it reads, with no web Request built), so that malformed modern
// requests get the modern path's errors; anything else is 2025 traffic and
// costs no classification at all.
import {
  classifyInboundRequest,
  PROTOCOL_VERSION_META_KEY,
  SUPPORTED_PROTOCOL_VERSIONS,
  type InboundClassificationOutcome,
  type InboundHttpRequest,
} from '@modelcontextprotocol/server';
import type { FastifyRequest } from 'fastify';

/** A revision header naming something other than a 2025-era version (2026-07-28 and later). */
export function claimsModernRevision(request: FastifyRequest): boolean {
  const version = request.headers['mcp-protocol-version'];
  return (
    typeof version === 'string' &&
    version > '2026' &&
    !SUPPORTED_PROTOCOL_VERSIONS.includes(version)
  );
}

function hasEnvelope(message: unknown): boolean {
  if (typeof message !== 'object' || message === null) return false;
  const meta = (message as { params?: { _meta?: Record<string, unknown> } | null }).params?._meta;
  return typeof meta === 'object' && meta !== null && PROTOCOL_VERSION_META_KEY in meta;
}

/** The headers the SDK's classifier reads, by their InboundHttpRequest fields. */
const STANDARD_HEADERS = [
  ['mcp-protocol-version', 'protocolVersionHeader'],
  ['mcp-method', 'mcpMethodHeader'],
  ['mcp-name', 'mcpNameHeader'],
] as const;

/**
 * The SDK's classification of a 2026-era POST; undefined for 2025 traffic.
 * The outcome goes on with the request: the fast path reads it instead of
 * classifying again.
 */
export function modernRoute(
  request: FastifyRequest,
  body: unknown,
): InboundClassificationOutcome | undefined {
  const messages = Array.isArray(body) ? body : [body];
  if (!claimsModernRevision(request) && !messages.some(hasEnvelope)) return undefined;
  const inbound: InboundHttpRequest = { httpMethod: 'POST', body };
  for (const [name, field] of STANDARD_HEADERS) {
    const value = request.headers[name];
    if (typeof value === 'string') inbound[field] = value;
  }
  const outcome = classifyInboundRequest(inbound);
  return outcome.kind === 'legacy' ? undefined : outcome;
}
