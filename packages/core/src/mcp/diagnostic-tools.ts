// The MCP conformance suite's diagnostic tools, for test runs only (the
// backend registers them under MCP_TEST_TOOLS, which production refuses).
// They exercise protocol rules no POS tool touches: a capability the client
// did not declare (-32021), a response stream without server requests, and
// request-scoped logging gated on the request's log level; and one that waits
// for its request's cancellation, to show every pending request ends.
import { inputRequired, type McpServer } from '@modelcontextprotocol/server';
import { z } from 'zod';

const NO_INPUT = z.object({});

/** What test_wait_for_cancel saw, for tests that check every request ends. */
export const cancellationProbe = { waiting: 0, cancelled: 0 };
const WAIT_CAP_MS = 300_000;

export function registerDiagnosticTools(server: McpServer): void {
  server.registerTool(
    'test_wait_for_cancel',
    {
      description: 'Diagnostic: answers only once its request is cancelled (or after 5 minutes)',
      inputSchema: NO_INPUT,
    },
    async (_args, ctx) => {
      const signal = ctx.mcpReq.signal;
      cancellationProbe.waiting++;
      try {
        await new Promise<void>((resolve) => {
          const cap = setTimeout(resolve, WAIT_CAP_MS);
          signal.addEventListener(
            'abort',
            () => {
              clearTimeout(cap);
              cancellationProbe.cancelled++;
              resolve();
            },
            { once: true },
          );
        });
      } finally {
        cancellationProbe.waiting--;
      }
      return { content: [{ type: 'text', text: 'cancelled' }] };
    },
  );
  server.registerTool(
    'test_missing_capability',
    { description: 'Diagnostic: needs the sampling client capability', inputSchema: NO_INPUT },
    async (_args, ctx) => {
      if (ctx.mcpReq.inputResponses?.['llm_answer'] === undefined) {
        return inputRequired({
          inputRequests: {
            llm_answer: inputRequired.createMessage({
              messages: [{ role: 'user', content: { type: 'text', text: 'Reply with: pong' } }],
              maxTokens: 16,
            }),
          },
        });
      }
      return { content: [{ type: 'text', text: 'sampling round-trip complete' }] };
    },
  );
  server.registerTool(
    'test_streaming_elicitation',
    { description: 'Diagnostic: a plain result, no server requests', inputSchema: NO_INPUT },
    async () => ({ content: [{ type: 'text', text: 'result frames only' }] }),
  );
  server.registerTool(
    'test_logging_tool',
    { description: 'Diagnostic: logs through the request-scoped channel', inputSchema: NO_INPUT },
    async (_args, ctx) => {
      await ctx.mcpReq.log('info', 'test_logging_tool ran');
      return { content: [{ type: 'text', text: 'logged' }] };
    },
  );
}
