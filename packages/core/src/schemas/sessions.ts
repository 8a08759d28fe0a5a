// The filter of the sessions and sessionless clients lists: one schema for
// the tRPC input, the directory's type and the console's filter controls.
import { z } from 'zod';
import { CREDENTIAL_KINDS } from '../credential-kinds.ts';
import { roleSchema } from '../roles.ts';

export const DEFAULT_SESSION_LIMIT = 200;
export const MAX_SESSION_LIMIT = 1000;

export const sessionFilterInput = z.object({
  businessId: z.uuid().optional(),
  role: roleSchema.optional(),
  authKind: z.enum(CREDENTIAL_KINDS).optional(),
  /** At most this many, most recently active first (default DEFAULT_SESSION_LIMIT). */
  limit: z.number().int().min(1).max(MAX_SESSION_LIMIT).optional(),
  /** The `nextCursor` of the previous page. */
  cursor: z.string().max(500).optional(),
});

export type SessionFilter = z.input<typeof sessionFilterInput>;
