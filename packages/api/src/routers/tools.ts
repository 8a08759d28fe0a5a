// The tools preview: what tools/list shows a key, a user or a custom
// principal, computed by core with ToolRegistry.explain.
import { toolsPreview, toolsPreviewInput } from '@flowpos/core';
import { authedProcedure, createTRPCRouter } from '../trpc.ts';

export const toolsRouter = createTRPCRouter({
  preview: authedProcedure
    .input(toolsPreviewInput)
    .query(({ ctx, input }) => toolsPreview(ctx.services, ctx.actor, input)),
});
