// Session endings the store refused are retried until it answers, never thrown.
import { describe, expect, it } from 'vitest';
import { DeferredEndings } from '../../src/sessions/deferred-endings.ts';

const until = async (check: () => boolean) => {
  while (!check()) await new Promise((r) => setTimeout(r, 5));
};

describe('DeferredEndings', () => {
  it('a failed ending does not reject and is retried until the store answers', async () => {
    let storeUp = false;
    const ended: string[] = [];
    const errors: string[] = [];
    const endings = new DeferredEndings(
      async (credential) => {
        if (!storeUp) throw new Error('store down');
        ended.push(credential);
      },
      { firstDelayMs: 5, maxDelayMs: 20, onError: (_e, credential) => errors.push(credential) },
    );
    await expect(endings.endNowOrLater('grant:a')).resolves.toBeUndefined();
    expect(endings.waiting).toBe(1);
    await until(() => errors.length >= 3);
    expect(ended).toEqual([]);
    storeUp = true;
    await until(() => endings.waiting === 0);
    expect(ended).toEqual(['grant:a']);
    endings.close();
  });

  it('beyond maxPending the oldest waiting credential is given up, and said so', async () => {
    const errors: string[] = [];
    const endings = new DeferredEndings(
      async () => {
        throw new Error('store down');
      },
      { firstDelayMs: 60_000, maxPending: 2, onError: (e, c) => errors.push(`${c}:${String(e)}`) },
    );
    for (const c of ['a', 'b', 'c']) await endings.endNowOrLater(c);
    expect(endings.waiting).toBe(2);
    expect(errors.some((e) => e.startsWith('a:') && e.includes('given up'))).toBe(true);
    endings.close();
  });
});
