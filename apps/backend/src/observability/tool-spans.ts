// One span per MCP tool call, named `tools/call <tool>`. Its parent is the
// trace the client named in the request's `_meta` (traceparent/tracestate,
// as MCP clients propagate it), else the HTTP request's own span (which
// continues a `traceparent` header). The span is recorded when the call's
// audit entry is written, with the call's real start time and duration.
// Without tracing (no SDK registered) the API is a no-op.
import { context, propagation, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { requestContext } from './request-context.ts';
import type { ToolCallListener } from './tool-calls.ts';

const tracer = trace.getTracer('flowpos-backend');

/** Reads a tools/call's `_meta` trace context from a raw /mcp body into the request context. */
export function captureMetaTraceContext(body: unknown): void {
  if (typeof body !== 'string' || !body.includes('traceparent')) return;
  const store = requestContext.getStore();
  if (!store) return;
  try {
    const parsed: unknown = JSON.parse(body);
    for (const message of Array.isArray(parsed) ? parsed : [parsed]) {
      const meta = (message as { params?: { _meta?: Record<string, unknown> } })?.params?._meta;
      if (typeof meta?.traceparent === 'string') {
        store.traceCarrier = {
          traceparent: meta.traceparent,
          ...(typeof meta.tracestate === 'string' ? { tracestate: meta.tracestate } : {}),
        };
        return;
      }
    }
  } catch {
    // Not JSON: the MCP layer answers that; there is no trace context to take.
  }
}

export const recordToolSpan: ToolCallListener = (call) => {
  const end = Date.now();
  const carrier = requestContext.getStore()?.traceCarrier;
  const parent = carrier ? propagation.extract(context.active(), carrier) : context.active();
  const span = tracer.startSpan(
    `tools/call ${call.tool}`,
    {
      kind: SpanKind.SERVER,
      startTime: end - call.seconds * 1000,
      attributes: {
        'mcp.method.name': 'tools/call',
        'gen_ai.tool.name': call.tool,
        'flowpos.tool.outcome': call.outcome,
        ...(call.sessionId ? { 'mcp.session.id': call.sessionId } : {}),
      },
    },
    parent,
  );
  if (call.outcome !== 'success')
    span.setStatus({ code: SpanStatusCode.ERROR, message: call.outcome });
  span.end(end);
};
