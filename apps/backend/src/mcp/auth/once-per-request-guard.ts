// McpAuthGuard, run at most once per HTTP request: the rate limiter (which
// needs the credential before the controller runs) and the MCP controller
// share one answer, so a credential is verified, counted and timed once.
import type { Authenticated } from '../shared/authenticated.ts';
import { McpAuthGuard } from '../interfaces/guards/mcp-auth.guard.ts';
import { requestContext } from '../../observability/request-context.ts';

const ANSWER = Symbol('flowpos.mcpAuth');

interface Remembered {
  [ANSWER]?: { authorization: string | undefined; answer: Promise<Authenticated | null> };
}

export class OncePerRequestGuard extends McpAuthGuard {
  override authenticate(authorization: string | undefined): Promise<Authenticated | null> {
    const context = requestContext.getStore() as Remembered | undefined;
    const previous = context?.[ANSWER];
    if (previous && previous.authorization === authorization) return previous.answer;
    const answer = super.authenticate(authorization);
    if (context) context[ANSWER] = { authorization, answer };
    return answer;
  }
}
