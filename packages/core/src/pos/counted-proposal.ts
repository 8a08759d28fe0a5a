// A proposal's insert, counted against the caller's daily caps
// (limits/intent-caps.ts) after every other check passed, so a refused or
// failed proposal spends nothing.
import type { Proposal, Reservation } from '../limits/intent-caps.ts';
import type { KeyedProposal } from './intent-idempotency.ts';

/**
 * Counts a proposal against the caller's daily caps (limits/intent-caps.ts),
 * throwing when over one. Absent: no caps (tests, CREDENTIAL_LIMITS_ENABLED=false).
 */
export type ReserveProposal = (proposal: Proposal) => Promise<Reservation>;

/**
 * Inserts once the caps allow it: what was counted is given back when the
 * insert fails or a concurrent retry with the same key created the intent
 * (that retry is not a second proposal).
 */
export async function insertCounted(
  keyed: KeyedProposal,
  data: Parameters<KeyedProposal['insert']>[0],
  proposal: Proposal,
  reserve: ReserveProposal | undefined,
) {
  const reservation = await reserve?.(proposal);
  try {
    const { row, created } = await keyed.insertNew(data);
    if (!created) await reservation?.release();
    return row;
  } catch (error) {
    await reservation?.release();
    throw error;
  }
}
