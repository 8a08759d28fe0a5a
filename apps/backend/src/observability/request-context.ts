// The request id of the request being served, for every log line written while
// serving it (whoever writes it) and for its response's `x-request-id` header.
// A load balancer's id is kept when it looks like one; otherwise a fresh UUID.
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';

export const REQUEST_ID_HEADER = 'x-request-id';

export interface RequestContext {
  requestId: string;
  /** A tools/call's `_meta` trace context (traceparent, tracestate), when tracing. */
  traceCarrier?: Record<string, string>;
}

export const requestContext = new AsyncLocalStorage<RequestContext>();

const USABLE_ID = /^[\w.:@/+=-]{1,128}$/;

/** The id a request goes by: the load balancer's when usable, else a new one. */
export function requestIdFor(header: string | string[] | undefined): string {
  const value = Array.isArray(header) ? header[0] : header;
  return value !== undefined && USABLE_ID.test(value) ? value : randomUUID();
}

export function currentRequestId(): string | undefined {
  return requestContext.getStore()?.requestId;
}
