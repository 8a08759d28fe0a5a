// What the session inspector sees of the endpoint's traffic, on both eras.
// Everything here runs after the request's work, and only queues references
// (RequestLogRecorder.observe): entries are built and stored later, in batches.
import type { ServerResponse } from 'node:http';
import {
  answerOutcome,
  requestLogKey,
  type ObservedRequest,
  type RequestLogRecorder,
  type ToolRunner,
} from '@flowpos/core';

type Message = { id?: unknown; method?: unknown; params?: unknown };

/**
 * A 2025 session's POST: each request (and notification) it carried, with the
 * outcome its answer gave. Responses the client sends back carry no method: skipped.
 */
export function observeSessionPost(
  inspector: RequestLogRecorder | undefined,
  sessionId: string,
  businessId: string,
  messages: readonly unknown[],
  answer: unknown,
  at: number,
  started: number,
): void {
  if (!inspector) return;
  const durationMs = performance.now() - started;
  const answers = Array.isArray(answer) ? (answer as Message[]) : answer ? [answer as Message] : [];
  const key = requestLogKey({ sessionId });
  for (const raw of messages) {
    const message = raw as Message;
    if (typeof message.method !== 'string') continue;
    const answered =
      message.id === undefined
        ? undefined
        : answers.length === 1
          ? answers[0]
          : answers.find((a) => a.id === message.id);
    inspector.observe(key, {
      at,
      method: message.method,
      params: message.params,
      durationMs,
      businessId,
      ...answerOutcome(answered),
    });
  }
}

const ERROR_CODE = /"error":\{"code":(-?\d+)/;
const TOOL_ERROR = /"isError":true/;

/**
 * One 2026 request, recorded when its response closes (a listen stream: when
 * it ends). The outcome comes from the HTTP status, the tool runner (fast
 * path) or the answer's first chunk (SDK path: JSON or an SSE event).
 */
export class ObservedExchange {
  private readonly at = Date.now();
  private readonly started = performance.now();
  private outcome: Pick<ObservedRequest, 'outcome' | 'errorCode'> = { outcome: 'ok' };
  private sawChunk = false;

  constructor(
    inspector: RequestLogRecorder,
    credential: string,
    businessId: string,
    body: unknown,
    res: ServerResponse,
  ) {
    const message = (body ?? {}) as Message;
    res.once('close', () => {
      const refused =
        res.statusCode >= 400 ? { outcome: 'error' as const, errorCode: res.statusCode } : null;
      inspector.observe(requestLogKey({ credential }), {
        at: this.at,
        method: message.method,
        params: message.params,
        durationMs: performance.now() - this.started,
        businessId,
        ...(refused ?? this.outcome),
      });
    });
  }

  /** The SDK's first bytes of answer: enough to see an error code or a tool error. */
  readonly firstChunk = (chunk: Uint8Array): void => {
    if (this.sawChunk) return;
    this.sawChunk = true;
    const text = Buffer.from(
      chunk.buffer,
      chunk.byteOffset,
      Math.min(chunk.byteLength, 4096),
    ).toString('utf8');
    const code = ERROR_CODE.exec(text);
    if (code) this.outcome = { outcome: 'error', errorCode: Number(code[1]) };
    else if (TOOL_ERROR.test(text)) this.outcome = { outcome: 'tool_error' };
  };

  /** The fast path's runner, noting a tool error or a thrown protocol error. */
  wrap(run: ToolRunner): ToolRunner {
    return async (tool, args, signal) => {
      try {
        const result = await run(tool, args, signal);
        if (result.isError) this.outcome = { outcome: 'tool_error' };
        return result;
      } catch (error) {
        const code = (error as { code?: unknown }).code;
        this.outcome = { outcome: 'error', errorCode: typeof code === 'number' ? code : undefined };
        throw error;
      }
    };
  }
}
