// The bodies of POST /mcp/token and POST /mcp/token/refresh (400 otherwise).
import { z } from 'zod';

export const exchangeInput = z.object({
  firebaseIdToken: z
    .string({ error: 'firebaseIdToken is required' })
    .min(1, 'firebaseIdToken is required'),
});

export const refreshInput = z.object({
  token: z.string({ error: 'token is required' }).min(1, 'token is required'),
});
