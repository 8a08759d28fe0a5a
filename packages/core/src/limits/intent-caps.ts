// Daily caps on the money-moving tools: how many sale and refund intents a
// credential may propose in a business per business day, and how much its
// refund intents may add up to. Counted when an intent is created (never for
// an idempotent retry that answers an earlier intent), in the business's own
// day (its time zone), on counters every instance shares (cap-counters.ts).
//
// Fails closed: when a cap applies and its counter cannot be read (Redis
// down), the proposal is refused with a clear error: a cap that cannot be
// checked is not enforced otherwise. Without a cap the proposal goes on and
// its use is simply not counted.
import { Temporal } from 'temporal-polyfill';
import { AppError, unavailable } from '../errors.ts';
import { formatMoney } from '../pos/money.ts';
import type { CapCounters } from './cap-counters.ts';
import type { CredentialLimitSet, CredentialLimits } from './credential-limits.ts';

export const CAP_FIELDS = [
  'saleIntentsPerDay',
  'refundIntentsPerDay',
  'refundCentsPerDay',
] as const;
export type CapField = (typeof CAP_FIELDS)[number];

const CAP_WORDS: Record<CapField, string> = {
  saleIntentsPerDay: 'sale intents per day',
  refundIntentsPerDay: 'refund intents per day',
  refundCentsPerDay: 'refund amount per day',
};

export interface Proposal {
  kind: 'sale' | 'refund';
  /** The intent's amount (minor units): counted against refundCentsPerDay for a refund. */
  amountCents: number;
}

/** What a proposal spent; released when no intent of its own came of it. */
export interface Reservation {
  release(): Promise<void>;
}

export interface CapUsage {
  cap: CapField;
  /** Null: no cap (use is still counted). */
  value: number | null;
  used: number;
}

export interface DailyUsage {
  day: string;
  timeZone: string;
  currency: string;
  /** The next local midnight, as an instant and as wall time in the zone. */
  resetsAt: string;
  resetsAtLocal: string;
  caps: CapUsage[];
}

/** The business day `now` falls in, and the instant the next one starts. */
export function businessDay(timeZone: string, now: number) {
  const here = Temporal.Instant.fromEpochMilliseconds(now).toZonedDateTimeISO(timeZone);
  const next = here.toPlainDate().add({ days: 1 }).toZonedDateTime({ timeZone });
  return {
    day: here.toPlainDate().toString(),
    resetsAtMs: next.epochMilliseconds,
    resetsAtLocal: next.toString({ timeZoneName: 'never', smallestUnit: 'second' }),
  };
}

const WHO: Record<string, string> = { key: 'this API key', grant: 'this connected app' };
const who = (credential: string) => WHO[credential.split(':')[0] ?? ''] ?? 'this account';

const counterKey = (set: CredentialLimitSet, day: string, cap: CapField) =>
  `${set.businessId}:${set.counter}:${day}:${cap}`;

export class IntentCaps {
  private readonly counters: CapCounters;
  private readonly limits: CredentialLimits;
  private readonly now: () => number;
  constructor(counters: CapCounters, limits: CredentialLimits, now: () => number = Date.now) {
    this.counters = counters;
    this.limits = limits;
    this.now = now;
  }

  /**
   * Counts a proposal about to be created; throws a tool-readable error when
   * it would take the credential past one of its caps (nothing is counted then).
   */
  async reserve(credential: string, businessId: string, proposal: Proposal): Promise<Reservation> {
    const set = await this.limits.get(credential, businessId);
    const { day, resetsAtMs, resetsAtLocal } = businessDay(set.timeZone, this.now());
    const spend: { cap: CapField; by: number }[] =
      proposal.kind === 'sale'
        ? [{ cap: 'saleIntentsPerDay', by: 1 }]
        : [
            { cap: 'refundIntentsPerDay', by: 1 },
            { cap: 'refundCentsPerDay', by: proposal.amountCents },
          ];
    const capped = spend.some((s) => set.effective[s.cap] !== null);
    const deltas = spend.map((s) => ({ key: counterKey(set, day, s.cap), by: s.by }));
    let after: number[];
    try {
      after = await this.counters.add(deltas, resetsAtMs);
    } catch {
      if (!capped) return { release: async () => undefined };
      throw unavailable(
        'Daily caps on proposals cannot be checked right now (the counter store is unreachable), so no intent was created: try again in a minute',
      );
    }
    const release = async () => {
      await this.counters
        .add(
          deltas.map((d) => ({ ...d, by: -d.by })),
          resetsAtMs,
        )
        .catch(() => undefined);
    };
    const over = spend.findIndex((s, i) => {
      const value = set.effective[s.cap];
      return value !== null && (after[i] ?? 0) > value;
    });
    if (over < 0) return { release };
    await release();
    const { cap, by } = spend[over]!;
    const value = set.effective[cap]!;
    const usedBefore = (after[over] ?? 0) - by;
    const money = (c: number) => formatMoney(c, set.currency);
    const figure = cap === 'refundCentsPerDay' ? money(value) : String(value);
    const used =
      cap === 'refundCentsPerDay'
        ? `${money(usedBefore)} already proposed today, this refund ${money(by)}`
        : `${usedBefore} already proposed today`;
    throw new AppError(
      'TOO_MANY_REQUESTS',
      `Daily cap reached: ${CAP_WORDS[cap]} (${cap}) is ${figure} for ${who(credential)} in this business (${used}). No intent was created. The cap resets at ${resetsAtLocal} ${set.timeZone} (${new Date(resetsAtMs).toISOString()}); a merchant can raise it in the FlowPOS console.`,
      { cap, value, resetsAt: new Date(resetsAtMs).toISOString() },
    );
  }

  /** Today's use of each cap by a credential in a business, for the console. */
  async usage(credential: string, businessId: string): Promise<DailyUsage> {
    const set = await this.limits.get(credential, businessId);
    const { day, resetsAtMs, resetsAtLocal } = businessDay(set.timeZone, this.now());
    let used: number[] = CAP_FIELDS.map(() => 0);
    try {
      used = await this.counters.read(CAP_FIELDS.map((cap) => counterKey(set, day, cap)));
    } catch {
      throw unavailable('Current use cannot be read right now (the counter store is unreachable)');
    }
    return {
      day,
      timeZone: set.timeZone,
      currency: set.currency,
      resetsAt: new Date(resetsAtMs).toISOString(),
      resetsAtLocal,
      caps: CAP_FIELDS.map((cap, i) => ({ cap, value: set.effective[cap], used: used[i] ?? 0 })),
    };
  }
}
