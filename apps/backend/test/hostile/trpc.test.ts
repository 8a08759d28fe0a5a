// Hostile input on /trpc (the console's API): mutation bodies (keys.create,
// businesses.updateSettings, sessions.end and cutOff) and query inputs
// (sessions.list, audit.list, oauth.consentRequest) get the whole corpus,
// the superjson `meta` included. Every answer is a 4xx or the procedure's
// own answer, never a 5xx or a hang; the audit trail holds exactly the keys
// created and the settings changed.
import { describe, expect, it } from 'vitest';
import { useHarness } from '../support/harness.ts';
import { expectUnstorableRefused, hostileBodies, sendCorpus } from '../support/hostile-corpus.ts';
import { useMerchant } from '../support/hostile-setup.ts';

const h = useHarness('hostiletrpc');
const merchant = useMerchant(h, 'hostile-trpc');

const mutation = (procedure: string) => (body: string | Uint8Array, signal: AbortSignal) =>
  fetch(`${h.server.baseUrl}/trpc/${procedure}`, {
    method: 'POST',
    signal,
    headers: { authorization: `Bearer ${merchant().idToken}`, 'content-type': 'application/json' },
    body,
  });

/** A query's input travels in the URL: the corpus's bodies go there (those that fit). */
const query = (procedure: string) => (body: string | Uint8Array, signal: AbortSignal) =>
  fetch(
    `${h.server.baseUrl}/trpc/${procedure}?input=${encodeURIComponent(Buffer.from(body).toString())}`,
    { signal, headers: { authorization: `Bearer ${merchant().idToken}` } },
  );

async function auditCount(action: string) {
  await h.server.services.core.audit.flush();
  return h.db.auditEvent.count({ where: { actorId: merchant().user.id, action } });
}

const fitsInUrl = (c: { body: string | Uint8Array }) => c.body.length < 8_000;

describe('/trpc', () => {
  it('mutations: every hostile field is refused or handled, and the audit trail matches what was done', async () => {
    const keyBody = {
      json: {
        businessId: merchant().businessId,
        name: 'trpc key',
        scopes: ['pos:read'],
        role: 'merchant',
      },
    };
    const keys = await sendCorpus(
      hostileBodies(keyBody, [
        ['json'],
        ['json', 'businessId'],
        ['json', 'name'],
        ['json', 'scopes'],
        ['json', 'role'],
        ['meta'],
      ]),
      mutation('keys.create'),
    );
    // superjson's `meta` is read, not stored: a NUL there is harmless.
    expectUnstorableRefused(keys.filter((a) => !a.name.startsWith('meta:')));
    const created = keys.filter((a) => a.status === 200).length;
    const settings = await sendCorpus(
      hostileBodies(
        {
          json: {
            businessId: merchant().businessId,
            timeZone: 'Europe/Paris',
            allowBackorders: true,
          },
        },
        [
          ['json', 'timeZone'],
          ['json', 'allowBackorders'],
        ],
      ),
      mutation('businesses.updateSettings'),
    );
    const changed = settings.filter((a) => a.status === 200).length;
    await sendCorpus(
      hostileBodies({ json: { sessionId: 'none' } }, [['json', 'sessionId']]),
      mutation('sessions.end'),
    );
    await sendCorpus(
      hostileBodies({ json: { credential: 'key:none' } }, [['json', 'credential']]),
      mutation('sessions.cutOff'),
    );
    // A plain mutation after the corpus lands and is audited.
    const after = await mutation('keys.create')(
      JSON.stringify(keyBody),
      AbortSignal.timeout(30_000),
    );
    expect(after.status).toBe(200);
    expect(await auditCount('api_key.created')).toBe(created + 1);
    const settingsRows = await auditCount('business.settings_changed');
    expect(settingsRows).toBe(changed);
  });

  it('queries: every hostile input in the URL is refused or answered', async () => {
    const cases = (base: Record<string, unknown>, paths: (string | number)[][]) =>
      hostileBodies(base, paths).filter(fitsInUrl);
    await sendCorpus(
      cases({ json: { businessId: merchant().businessId, limit: 10 } }, [
        ['json'],
        ['json', 'businessId'],
        ['json', 'limit'],
        ['json', 'cursor'],
      ]),
      query('sessions.list'),
    );
    await sendCorpus(
      cases({ json: { businessId: merchant().businessId } }, [['json', 'businessId'], ['meta']]),
      query('audit.list'),
    );
    await sendCorpus(
      cases({ json: { uid: 'none' } }, [['json', 'uid']]),
      query('oauth.consentRequest'),
    );
    const me = await query('me.get')('{"json":null}', AbortSignal.timeout(30_000));
    expect(me.status).toBe(200);
  });
});
