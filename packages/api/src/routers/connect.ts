// How to connect an MCP client: the MCP URL this deployment serves (the one
// its OAuth protected-resource metadata names), for the console's snippets.
import { createTRPCRouter, publicProcedure } from '../trpc.ts';

export const connectRouter = createTRPCRouter({
  info: publicProcedure.query(({ ctx }) => ({ mcpUrl: `${ctx.services.issuer}/mcp` })),
});
