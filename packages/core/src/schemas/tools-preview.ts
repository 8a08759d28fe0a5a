// The tools preview's input: a key, a connected app, a user, or a principal described by hand.
import { z } from 'zod';
import { roleSchema, scopeSchema } from '../roles.ts';

const BUSINESS_COUNT = 'Enter a whole number from 1 to 10000.';

export const toolsPreviewInput = z.discriminatedUnion('mode', [
  z.object({
    mode: z.literal('custom'),
    role: roleSchema,
    scopes: z.array(scopeSchema).max(20),
    businessCount: z
      .number({ message: BUSINESS_COUNT })
      .int(BUSINESS_COUNT)
      .min(1, BUSINESS_COUNT)
      .max(10_000, BUSINESS_COUNT),
  }),
  z.object({ mode: z.literal('key'), keyId: z.uuid() }),
  z.object({ mode: z.literal('user'), userId: z.uuid() }),
  /** A connected app (OAuth grant): what its tokens get, tool policy included. */
  z.object({ mode: z.literal('grant'), grantId: z.string().min(1).max(200) }),
]);
export type ToolsPreviewInput = z.infer<typeof toolsPreviewInput>;
