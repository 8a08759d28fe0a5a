// The environment the backend reads, one piece per concern, checked as a
// whole (safety.ts) before any of it is used.
import { z } from 'zod';
import { credentialsEnv } from './credentials.ts';
import { limitsEnv } from './limits.ts';
import { mcpEnv } from './mcp.ts';
import { observabilityEnv } from './observability.ts';
import { checkSafety } from './safety.ts';
import { serverEnv } from './server.ts';

const envObject = z.object({
  ...serverEnv,
  ...credentialsEnv,
  ...limitsEnv,
  ...mcpEnv,
  ...observabilityEnv,
});

/** The environment once parsed: every variable with its default applied. */
export type Env = z.infer<typeof envObject>;

export const envSchema = envObject.superRefine(checkSafety);
