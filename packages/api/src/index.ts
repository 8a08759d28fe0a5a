// @flowpos/api: the console's tRPC router. The backend mounts `appRouter` at
// /trpc with `createTRPCContext`; the console imports only the types.
import type { inferRouterInputs, inferRouterOutputs } from '@trpc/server';
import type { AppRouter } from './root.ts';

export { appRouter, createCaller, type AppRouter } from './root.ts';
export {
  createTRPCContext,
  TRPC_CODE,
  type ApiServices,
  type CreateContextOptions,
  type FieldIssue,
  type TRPCContext,
} from './trpc.ts';

export type RouterInputs = inferRouterInputs<AppRouter>;
export type RouterOutputs = inferRouterOutputs<AppRouter>;
