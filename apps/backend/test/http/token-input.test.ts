// /mcp/token and its refresh refuse bad input with a 4xx naming what is
// wrong, never a 500 (DESIGN "bad input: 4xx, never 500").
import { describe, expect, it } from 'vitest';
import { useHarness } from '../support/harness.ts';
import { postJson } from '../support/raw-http.ts';

const h = useHarness('tokeninput');

describe('/mcp/token input errors', () => {
  const token = () => `${h.server.baseUrl}/mcp/token`;
  const refresh = () => `${h.server.baseUrl}/mcp/token/refresh`;

  it('malformed JSON → 400', async () => {
    for (const url of [token(), refresh()]) {
      const res = await postJson(url, '{"firebaseIdToken": ');
      expect(res.status).toBe(400);
      expect(res.json).toEqual({ error: 'Malformed JSON body' });
    }
  });

  it('a missing or empty field → 400 naming it', async () => {
    for (const [url, field] of [
      [token(), 'firebaseIdToken'],
      [refresh(), 'token'],
    ] as const) {
      for (const body of [{}, { [field]: '' }, { [field]: 42 }]) {
        const res = await postJson(url, body);
        expect(res.status).toBe(400);
        expect(res.json.code).toBe('BAD_REQUEST');
        expect(res.json.error).toContain(field);
      }
    }
  });

  it('wrong content type and empty body → 4xx, never 500', async () => {
    // text/plain is read as a string, which is not the expected object.
    const plain = await fetch(token(), {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: 'x',
    });
    expect(plain.status).toBe(400);
    const xml = await fetch(token(), {
      method: 'POST',
      headers: { 'content-type': 'application/xml' },
      body: '<x/>',
    });
    expect(xml.status).toBe(415);
    const empty = await fetch(token(), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
    });
    expect(empty.status).toBe(400);
    const array = await postJson(token(), [1, 2]);
    expect(array.status).toBe(400);
  });
});
