// The export's formats, row by row: CSV cells per RFC 4180 with formulas
// defused, JSON Lines, and text no file should carry (NUL, lone surrogates)
// replaced — the database refuses those, but the formatter does not rely on it.
// And the download ticket: signed, bound to its filters, short-lived.
import { describe, expect, it } from 'vitest';
import {
  auditTicketKey,
  csvCell,
  csvLine,
  issueAuditTicket,
  jsonLine,
  storableText,
  type Actor,
  type AuditEventView,
} from '../src/index.ts';

const row = (over: Partial<AuditEventView> = {}): AuditEventView => ({
  id: '00000000-0000-4000-8000-000000000001',
  action: 'key.created',
  outcome: 'success',
  actorKind: 'user',
  actorId: 'user:1',
  actor: { label: 'owner@shop.test', ref: 'user:1' },
  businessId: '00000000-0000-4000-8000-000000000002',
  details: {},
  createdAt: new Date('2026-03-01T10:00:00Z'),
  ...over,
});

describe('CSV cells', () => {
  it('prefix every formula starter with an apostrophe', () => {
    for (const start of ['=', '+', '-', '@', '\t', '\r'])
      expect(csvCell(`${start}1+1`).replace(/^"/, '')).toMatch(/^'/);
    expect(csvCell('a=1')).toBe('a=1');
  });

  it('quote commas, quotes and line breaks, and keep empty apart from null', () => {
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
    expect(csvCell(null)).toBe('');
    expect(csvCell('')).toBe('');
  });

  it('replace NUL and lone surrogates, keep real pairs', () => {
    expect(storableText('a\u0000b\uD800c\uDC00d😀')).toBe('a\uFFFDb\uFFFDc\uFFFDd😀');
    const line = csvLine(row({ action: 'x\u0000', details: { k: '\uDBFF' } }));
    expect(line).not.toMatch(/\0|[\uD800-\uDFFF]/);
    expect(Buffer.from(line, 'utf8').toString('utf8')).toBe(line);
  });
});

describe('JSON Lines', () => {
  it('one line per row that parses back, with hostile strings replaced', () => {
    const line = jsonLine(row({ details: { note: 'a\nb\u0000', lone: '\uD800' } }));
    expect(line.endsWith('\n')).toBe(true);
    expect(line.slice(0, -1)).not.toContain('\n');
    const parsed = JSON.parse(line) as { details: Record<string, string>; actor: string };
    expect(parsed.details).toEqual({ note: 'a\nb\uFFFD', lone: '\uFFFD' });
    expect(parsed.actor).toBe('owner@shop.test');
  });
});

describe('export tickets', () => {
  const actor: Actor = {
    userId: '00000000-0000-4000-8000-000000000003',
    email: 'owner@shop.test',
    isPlatformOperator: false,
    tokenGeneration: 0,
    memberships: [
      {
        businessId: '00000000-0000-4000-8000-000000000002',
        businessName: 'Shop',
        role: 'merchant',
      },
    ],
  };

  it('are issued only after the audit page check', () => {
    const key = auditTicketKey('secret');
    expect(() =>
      issueAuditTicket(key, actor, { businessId: '00000000-0000-4000-8000-000000000009' }),
    ).toThrow(/./);
    expect(() => issueAuditTicket(key, actor, {})).toThrow(/./);
    const { ticket, expiresInSeconds } = issueAuditTicket(key, actor, {
      businessId: '00000000-0000-4000-8000-000000000002',
    });
    expect(ticket).toMatch(/^[\w-]+\.[\w-]+$/);
    expect(expiresInSeconds).toBe(60);
  });
});
