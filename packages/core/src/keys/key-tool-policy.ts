// Changing a key's tool policy: the same people who may change its scopes
// (manageKeys, a key of a role they may grant), on every secret of the key
// (a rolled key's older ones in their overlap too). Live sessions and listen
// streams follow at once (tool-policy-rules.ts applyToolPolicy).
import type { Actor } from '../access/actor.ts';
import { keyCredentialId } from '../credential-ids.ts';
import { updateApiKeyToolPolicyInput } from '../schemas/keys.ts';
import { applyToolPolicy, knownToolPolicy } from '../tools/tool-policy-rules.ts';
import { describePolicy, toolPolicyColumns, toolPolicyOf } from '../tools/tool-policy.ts';
import { parse } from '../validation.ts';
import { recordKeyAction, type KeyServiceDeps } from './api-key-service.ts';
import { familyOf } from './key-family.ts';
import { businessLinks, loadKeyView, type ApiKeyView } from './key-views.ts';
import { changeableKey } from './manageable-key.ts';

export async function updateApiKeyToolPolicy(
  deps: KeyServiceDeps,
  actor: Actor,
  raw: unknown,
): Promise<ApiKeyView> {
  const input = parse(updateApiKeyToolPolicyInput, raw);
  const { row } = await changeableKey(deps.db, actor, input.keyId);
  const policy = knownToolPolicy(input.toolPolicy);
  const ids = familyOf(await businessLinks(deps.db, row.businessId), row.id);
  await deps.db.apiKey.updateMany({ where: { id: { in: ids } }, data: toolPolicyColumns(policy) });
  // key.changed: every instance drops the secret's cached verification, re-checks its streams.
  const changed = ids.map((id) => ({
    credential: keyCredentialId(id),
    event: { type: 'key.changed' as const, keyId: id },
  }));
  await applyToolPolicy(deps, changed, policy);
  recordKeyAction(deps.audit, actor, row.businessId, 'api_key.tool_policy_changed', {
    keyId: row.id,
    prefix: row.prefix,
    from: describePolicy(toolPolicyOf(row)),
    to: describePolicy(policy),
  });
  return loadKeyView(deps.db, row.id);
}
