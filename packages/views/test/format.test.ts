// How the views write amounts, days and loose fields of a tool result.
import { describe, expect, it } from 'vitest';
import { day, list, money, num, str } from '../src/shared/format.ts';

describe('view formatting', () => {
  it('money: integer cents in the business currency, USD when the code is unknown', () => {
    expect(money(3850, 'EUR')).toMatch(/38[.,]50/);
    expect(money(3850, 'EUR')).toContain('€');
    expect(money(100, 'JPY')).toContain('¥');
    expect(money(1250, 'not-a-currency')).toContain('$');
  });

  it('day: a local YYYY-MM-DD stays that calendar day whatever the viewer zone', () => {
    expect(day('2026-11-29', 'long')).toMatch(/29/);
    expect(day('2026-01-01')).toMatch(/1/);
    expect(day('garbage')).toBe('garbage');
  });

  it('loose readers never throw on missing or mistyped fields', () => {
    expect(num('12')).toBe(0);
    expect(str(undefined, 'x')).toBe('x');
    expect(list([{ a: 1 }, 'no', null])).toEqual([{ a: 1 }]);
    expect(list(undefined)).toEqual([]);
  });
});
