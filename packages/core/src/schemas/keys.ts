// The inputs of the key operations, as the server parses them and the
// console's forms validate them before sending: one set of rules and messages.
import { z } from 'zod';
import { roleSchema, scopeSchema } from '../roles.ts';
import { toolPolicySchema } from '../tools/tool-policy.ts';

const scopesInput = z.array(scopeSchema).min(1, 'Choose at least one scope.');

export const createApiKeyInput = z.object({
  businessId: z.uuid({ message: 'businessId must be a UUID' }),
  name: z
    .string()
    .trim()
    .min(1, 'Give the key a name, e.g. “Claude on the shop laptop”.')
    .max(80, 'The name is at most 80 characters.'),
  scopes: scopesInput,
  role: roleSchema.optional(),
  expiresAt: z.coerce.date({ message: 'Enter a valid date.' }).nullish(),
  /** Absent: all the tools its role and scopes allow (as before policies). */
  toolPolicy: toolPolicySchema.optional(),
});
export type CreateApiKeyInput = z.infer<typeof createApiKeyInput>;

export const updateApiKeyScopesInput = z.object({
  keyId: z.uuid(),
  scopes: scopesInput,
});

export const updateApiKeyToolPolicyInput = z.object({
  keyId: z.uuid(),
  toolPolicy: toolPolicySchema,
});

export const updateGrantToolPolicyInput = z.object({
  grantId: z.string().min(1).max(200),
  toolPolicy: toolPolicySchema,
});

/** How long the old secret keeps working after a key is rolled. */
export const ROTATION_OVERLAPS = { none: 0, '1h': 3_600_000, '1d': 86_400_000, '7d': 604_800_000 };
export type RotationOverlap = keyof typeof ROTATION_OVERLAPS;

const overlaps = Object.keys(ROTATION_OVERLAPS) as [RotationOverlap, ...RotationOverlap[]];

export const rotateApiKeyInput = z.object({
  keyId: z.uuid(),
  overlap: z.enum(overlaps, { message: `overlap must be one of ${overlaps.join(', ')}` }),
});
