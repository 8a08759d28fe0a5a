// The platform operator's tools: every business, every live session, ending one.
import { z } from 'zod';
import { listBusinesses } from '../pos/businesses.ts';
import { badRequest, notFound } from '../errors.ts';
import { roleSchema } from '../roles.ts';
import { limitArg } from './tool-args.ts';
import { defineTool } from './tool-definition.ts';
import { TOOL_OUTPUTS } from './tool-outputs.ts';

export const listBusinessesTool = defineTool({
  name: 'list_businesses',
  title: 'List businesses (operator)',
  description:
    'Platform operators: every business on the platform with member, key and live session counts.',
  group: 'operator',
  scope: 'operator',
  readOnly: true,
  icon: 'operator',
  outputSchema: TOOL_OUTPUTS.listBusinesses,
  inputSchema: {},
  async handler(_args, ctx) {
    return { businesses: await listBusinesses(ctx.db, await ctx.sessions.countByBusiness()) };
  },
});

export const listSessionsTool = defineTool({
  name: 'list_sessions',
  title: 'List MCP sessions (operator)',
  description:
    'Platform operators: live MCP sessions across businesses (principal, role, business, client, last activity, instance).',
  group: 'operator',
  scope: 'operator',
  readOnly: true,
  icon: 'operator',
  outputSchema: TOOL_OUTPUTS.listSessions,
  inputSchema: {
    businessId: z.uuid().optional(),
    role: roleSchema.optional(),
    limit: limitArg(200, 'At most this many, most recent first (default 50)'),
    cursor: z
      .string()
      .max(500)
      .optional()
      .describe('The nextCursor of the previous page, to read on'),
  },
  async handler(args, ctx) {
    const page = await ctx.sessions.list({ ...args, limit: args.limit ?? 50 });
    return { sessions: page.items, nextCursor: page.nextCursor };
  },
});

export const endSessionTool = defineTool({
  name: 'end_session',
  title: 'End an MCP session (operator)',
  description:
    'Platform operators: ends a live MCP session; its next request gets "Unknown session ID".',
  group: 'operator',
  scope: 'operator',
  readOnly: false,
  destructive: true,
  idempotent: true,
  icon: 'operator',
  outputSchema: TOOL_OUTPUTS.endSession,
  inputSchema: { sessionId: z.string().min(1).max(100) },
  async handler(args, ctx) {
    if (args.sessionId === ctx.sessionId)
      throw badRequest('Use DELETE /mcp to end your own session');
    if (!(await ctx.sessions.end(args.sessionId, 'ended_by_operator')))
      throw notFound('Session not found');
    return { ended: args.sessionId };
  },
});
