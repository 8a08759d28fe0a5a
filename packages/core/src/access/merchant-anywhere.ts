// Console views that span businesses (the sessions list, a custom tools
// preview) are open to operators and to anyone who is a merchant somewhere;
// tenant developers alone never get them.
import type { Actor } from './actor.ts';
import { forbidden } from '../errors.ts';

export function isMerchantAnywhere(actor: Actor): boolean {
  return actor.isPlatformOperator || actor.memberships.some((m) => m.role === 'merchant');
}

export function requireMerchantAnywhere(actor: Actor): void {
  if (!isMerchantAnywhere(actor))
    throw forbidden('Only merchants and platform operators can do this');
}
