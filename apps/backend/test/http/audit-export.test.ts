// GET /audit/export (issue 20 item 6): the audit page's filtered trail as CSV or
// JSON Lines, streamed from the database in keyset chunks, under the audit
// page's own check; and the ticket the console's browser downloads with.
// On PostgreSQL + Redis and on the embedded default.
import { randomUUID } from 'node:crypto';
import { describe, expect, it, beforeAll } from 'vitest';
import { createBusiness, createUser, type TestUser } from '../support/fixtures.ts';
import { DATABASE_KINDS, useHarnessOn } from '../support/harness.ts';
import { parseCsv } from '../support/csv.ts';

describe.each(DATABASE_KINDS)('audit export on %s', (kind) => {
  const h = useHarnessOn(kind, `auditexp-${kind}`);
  let businessId: string;
  let merchant: TestUser;
  let outsider: TestUser;
  let developer: TestUser;
  let operator: TestUser;

  beforeAll(async () => {
    businessId = (await createBusiness(h.db, `Café "Export" ${randomUUID().slice(0, 6)}`)).business
      .id;
    await h.db.business.update({ where: { id: businessId }, data: { timeZone: 'Asia/Tokyo' } });
    const other = (await createBusiness(h.db)).business.id;
    merchant = await createUser(h.db, { memberships: [{ businessId, role: 'merchant' }] });
    developer = await createUser(h.db, {
      memberships: [{ businessId, role: 'tenant_developer' }],
    });
    outsider = await createUser(h.db, { memberships: [{ businessId: other, role: 'merchant' }] });
    operator = await createUser(h.db, { operator: true });
    const at = (iso: string) => new Date(iso);
    await h.db.auditEvent.createMany({
      data: [
        // 2026-03-01 23:30 UTC is 2026-03-02 08:30 in Tokyo: inside a "from 2026-03-02" filter.
        ev('key.created', 'success', `user:${merchant.id}`, at('2026-03-01T23:30:00Z'), {
          name: '=HYPERLINK("http://evil")',
        }),
        ev('key.revoked', 'success', `user:${merchant.id}`, at('2026-03-03T10:00:00Z'), {
          note: 'comma, "quote"\nnewline',
        }),
        ev(
          'tool.called',
          'denied',
          'key:11111111-1111-4111-8111-111111111111',
          at('2026-03-04T10:00:00Z'),
          // NUL and lone surrogates never reach the database (core/storable.ts); the
          // formatter's own handling of them is core's audit-export-format test.
          { hostile: '@SUM(A1)' },
        ),
        ev('tool.called', 'failure', '+cmd|calc', at('2026-03-01T10:00:00Z'), {}),
      ],
    });
    await h.db.auditEvent.create({
      data: { ...ev('key.created', 'success', null, new Date(), {}), businessId: other },
    });

    function ev(
      action: string,
      outcome: string,
      actorId: string | null,
      createdAt: Date,
      details: Record<string, string>,
    ) {
      return { businessId, action, outcome, actorKind: 'user', actorId, createdAt, details };
    }
  });

  async function get(query: Record<string, string>, user: TestUser | null) {
    const headers: Record<string, string> = {};
    if (user) headers.authorization = `Bearer ${await user.idToken()}`;
    const res = await fetch(`${h.server.baseUrl}/audit/export?${new URLSearchParams(query)}`, {
      headers,
    });
    return { status: res.status, headers: res.headers, text: await res.text() };
  }

  it('CSV: every row of the business, quoted, formulas defused, hostile text replaced; filename names the range', async () => {
    const res = await get(
      { businessId, format: 'csv', from: '2026-03-01', to: '2026-03-04' },
      merchant,
    );
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toMatch(
      /^attachment; filename="audit-caf-export-[0-9a-f]+-2026-03-01-to-2026-03-04\.csv"$/,
    );
    const [header, ...rows] = parseCsv(res.text);
    expect(header).toEqual([
      'time',
      'action',
      'outcome',
      'actor_kind',
      'actor_id',
      'actor',
      'business_id',
      'details',
      'id',
    ]);
    expect(rows.map((r) => r[1])).toEqual([
      'tool.called',
      'key.revoked',
      'key.created',
      'tool.called',
    ]);
    expect(rows[0]![7]).toBe('{"hostile":"@SUM(A1)"}');
    expect(rows[1]![7]).toBe('{"note":"comma, \\"quote\\"\\nnewline"}');
    expect(rows[2]![5]).toBe(merchant.email);
    expect(rows[3]![4]).toBe("'+cmd|calc");
    expect(res.text).not.toContain('\u0000');
    // A defused formula keeps its text behind the apostrophe only when it starts the cell.
    expect(rows[2]![7]).toBe('{"name":"=HYPERLINK(\\"http://evil\\")"}');
  });

  it('JSON Lines parse back, and filters (action prefix, outcome, actor e-mail, dates in the business zone) apply', async () => {
    // Until March's end: the exports themselves are audited (audit.exported) today.
    const all = await get({ businessId, format: 'jsonl', to: '2026-03-31' }, merchant);
    expect(all.headers.get('content-type')).toBe('application/jsonl; charset=utf-8');
    const lines = all.text
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines).toHaveLength(4);
    expect(lines[0].details.hostile).toBe('@SUM(A1)');

    const actions = async (query: Record<string, string>) =>
      (await get({ businessId, format: 'jsonl', to: '2026-03-31', ...query }, merchant)).text
        .trimEnd()
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l).action as string);
    expect(await actions({ action: 'key.' })).toEqual(['key.revoked', 'key.created']);
    expect(await actions({ outcome: 'denied' })).toEqual(['tool.called']);
    expect(await actions({ actor: merchant.email.toUpperCase() })).toEqual([
      'key.revoked',
      'key.created',
    ]);
    expect(await actions({ actor: 'nobody@test.flowpos' })).toEqual([]);
    // Tokyo days: 2026-03-02 starts at 2026-03-01T15:00Z.
    expect(await actions({ from: '2026-03-02', to: '2026-03-03' })).toEqual([
      'key.revoked',
      'key.created',
    ]);
    expect(await actions({ action: '%' })).toEqual([]);
  });

  it("is the audit page's check: another business's merchant, a tenant developer and no token are refused; an operator may export every business", async () => {
    expect((await get({ businessId, format: 'csv' }, outsider)).status).toBe(403);
    expect((await get({ businessId, format: 'csv' }, developer)).status).toBe(403);
    expect((await get({ businessId, format: 'csv' }, null)).status).toBe(401);
    expect((await get({ format: 'csv' }, merchant)).status).toBe(403);
    const every = await get({ format: 'jsonl' }, operator);
    expect(every.status).toBe(200);
    expect(every.headers.get('content-disposition')).toContain('audit-all-businesses-start-to-');
    expect(every.text.trimEnd().split('\n').length).toBeGreaterThanOrEqual(5);
  });

  it('refuses bad filters with a 400', async () => {
    const queries: Record<string, string>[] = [
      { businessId, format: 'xml' },
      { businessId, from: 'yesterday' },
      { businessId, action: 'a\u0000b' },
      { businessId, from: '2026-03-04', to: '2026-03-01' },
      { businessId: 'not-a-uuid' },
    ];
    for (const query of queries) {
      const res = await get(query, merchant);
      expect(res.status, JSON.stringify(query)).toBe(400);
    }
  });

  it('a ticket downloads once without a header, once checked; a used, edited or malformed ticket, or one whose holder left the business, is refused', async () => {
    const issue = async (user: TestUser, body: unknown) => {
      const res = await fetch(`${h.server.baseUrl}/audit/export/ticket`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${await user.idToken()}`,
          'content-type': 'application/json',
        },
        body: JSON.stringify(body),
      });
      return { status: res.status, json: (await res.json()) as { url: string; ticket: string } };
    };
    expect((await issue(outsider, { businessId })).status).toBe(403);
    const issued = await issue(merchant, { businessId, format: 'jsonl', outcome: 'denied' });
    expect(issued.status).toBe(200);
    const download = await fetch(`${h.server.baseUrl}${issued.json.url}`);
    expect(download.status).toBe(200);
    const body = await download.text();
    expect(
      body
        .trimEnd()
        .split('\n')
        .map((l) => JSON.parse(l).outcome),
    ).toEqual(['denied']);
    // One download per ticket: the same link again (from a log, say) opens nothing.
    const again = await fetch(`${h.server.baseUrl}${issued.json.url}`);
    expect(again.status).toBe(401);
    expect(((await again.json()) as { error: string }).error).toMatch(/used already/);
    // Two downloads of one ticket at once: one of them.
    const twice = await issue(merchant, { businessId });
    const raced = await Promise.all(
      [1, 2].map(async () => {
        const res = await fetch(`${h.server.baseUrl}${twice.json.url}`);
        await res.arrayBuffer();
        return res.status;
      }),
    );
    expect(raced.sort()).toEqual([200, 401]);

    const [payload, mac] = issued.json.ticket.split('.');
    const decoded = JSON.parse(Buffer.from(payload!, 'base64url').toString('utf8'));
    decoded.q.outcome = 'success';
    const edited = `${Buffer.from(JSON.stringify(decoded)).toString('base64url')}.${mac}`;
    expect((await fetch(`${h.server.baseUrl}/audit/export?ticket=${edited}`)).status).toBe(401);
    expect((await fetch(`${h.server.baseUrl}/audit/export?ticket=garbage`)).status).toBe(401);

    // A membership ended after the ticket was issued ends the download too.
    const leaving = await createUser(h.db, { memberships: [{ businessId, role: 'merchant' }] });
    const late = await issue(leaving, { businessId });
    await h.db.businessUser.updateMany({
      where: { userId: leaving.id },
      data: { isActive: false },
    });
    expect((await fetch(`${h.server.baseUrl}${late.json.url}`)).status).toBe(403);
  });
});
