// Prompt arguments that name things (a business, a product), completed as
// the person types (`completion/complete`) and resolved when the prompt is
// got. Both read through the principal of that request: completions offer only
// the caller's active business's products and the businesses it holds now, and
// nothing at all once it may no longer read (its prompts are then gone too).
import type { Db } from '@flowpos/db';
import { completable, ProtocolError, ProtocolErrorCode } from '@modelcontextprotocol/server';
import { z } from 'zod';
import {
  businessNameCompletions,
  findBusinessByName,
  findProductByNameOrSku,
  productNameCompletions,
} from '../pos/name-completions.ts';
import type { Principal } from '../principal.ts';

/** The principal of this request if it may use prompts; else null. */
export type PromptReader = () => Principal | null;

const invalid = (message: string) => new ProtocolError(ProtocolErrorCode.InvalidParams, message);

export function promptArguments(reader: PromptReader, db: Db) {
  return {
    /** A business the caller holds, by name. */
    business: completable(z.string().min(1).max(200), async (value) => {
      const p = reader();
      return p ? businessNameCompletions(db, p.authorizedBusinessIds, value ?? '') : [];
    }),
    /** A product of the active business, by name or SKU. */
    // Described before completable(): describe() returns a copy, which would not complete.
    product: completable(
      z.string().min(1).max(200).describe('The product, by name or SKU'),
      async (value) => {
        const p = reader();
        return p ? productNameCompletions(db, p.activeBusinessId, value ?? '') : [];
      },
    ),

    async resolveBusiness(p: Principal, name: string) {
      const business = await findBusinessByName(db, p.authorizedBusinessIds, name);
      if (!business) throw invalid(`No business of yours is named "${name}"`);
      return business;
    },

    async resolveProduct(p: Principal, ref: string) {
      const product = await findProductByNameOrSku(db, p.activeBusinessId, ref);
      if (!product)
        throw invalid(`No active product named or with SKU "${ref}" in the active business`);
      return product;
    },
  };
}
