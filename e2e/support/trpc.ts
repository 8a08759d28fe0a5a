// Calls the console's tRPC API over HTTP the way the browser does (superjson
// envelopes), through the console's /trpc rewrite.
import type { APIRequestContext, APIResponse } from '@playwright/test';
import superjson from 'superjson';

export interface TrpcResult<T> {
  status: number;
  data?: T;
  error?: { message: string; code: number; data?: { code?: string; httpStatus?: number } };
  response: APIResponse;
}

async function parse<T>(response: APIResponse): Promise<TrpcResult<T>> {
  const body = (await response.json()) as {
    result?: { data: { json: unknown; meta?: unknown } };
    error?: { json: unknown };
  };
  if (body.result) {
    return {
      status: response.status(),
      data: superjson.deserialize<T>(body.result.data as never),
      response,
    };
  }
  return { status: response.status(), error: body.error?.json as TrpcResult<T>['error'], response };
}

export function trpcClient(request: APIRequestContext, idToken: string) {
  const headers = { authorization: `Bearer ${idToken}` };
  return {
    async query<T = unknown>(path: string, input?: unknown): Promise<TrpcResult<T>> {
      const qs =
        input === undefined
          ? ''
          : `?input=${encodeURIComponent(JSON.stringify(superjson.serialize(input)))}`;
      return parse<T>(await request.get(`/trpc/${path}${qs}`, { headers }));
    },
    async mutation<T = unknown>(path: string, input: unknown): Promise<TrpcResult<T>> {
      return parse<T>(
        await request.post(`/trpc/${path}`, { headers, data: superjson.serialize(input) }),
      );
    },
  };
}
