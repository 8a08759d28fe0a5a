import { describe, expect, it } from 'vitest';
import {
  MAX_JSON_DEPTH,
  REPLACEMENT_CHARACTER as R,
  storableJson,
  storableText,
  TOO_DEEP,
  unstorableIn,
} from '../src/storable.ts';

const nested = (depth: number): unknown => {
  let v: unknown = 'leaf';
  for (let i = 0; i < depth; i++) v = { a: v };
  return v;
};

describe('storableText', () => {
  it('replaces NUL and lone surrogates, keeps surrogate pairs and other text', () => {
    expect(storableText('a\u0000b')).toBe(`a${R}b`);
    expect(storableText('\ud800x\udc00')).toBe(`${R}x${R}`);
    expect(storableText('emoji 😀 ok')).toBe('emoji 😀 ok');
    expect(storableText('\ud83d')).toBe(R);
    expect(storableText('plain')).toBe('plain');
  });
});

describe('storableJson', () => {
  it('cleans strings and keys, drops prototype keys, and stays a plain object', () => {
    const parsed = JSON.parse(
      '{"__proto__":{"polluted":true},"constructor":{"prototype":1},"n\\u0000":"v\\ud800","ok":[1,"x"]}',
    ) as unknown;
    const stored = storableJson(parsed) as Record<string, unknown>;
    expect(stored).toEqual({ [`n${R}`]: `v${R}`, ok: [1, 'x'] });
    expect(Object.getPrototypeOf(stored)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('cuts nesting past the limit and maps what JSON cannot hold', () => {
    const cut = JSON.stringify(storableJson(nested(MAX_JSON_DEPTH + 10)));
    expect(cut).toContain(TOO_DEEP);
    expect(cut).not.toContain('leaf');
    expect(storableJson({ big: 2n ** 64n, nan: Number.NaN, u: undefined, f: () => 1 })).toEqual({
      big: '18446744073709551616',
      nan: null,
    });
    expect(storableJson(new Date(0))).toBe('1970-01-01T00:00:00.000Z');
  });
});

describe('unstorableIn', () => {
  it('names the first value that cannot be stored as sent', () => {
    expect(unstorableIn({ a: [{ b: 'ok' }, { c: 'x\u0000' }] })).toMatch(/at a\[1\]\.c$/);
    expect(unstorableIn(JSON.parse('{"a":{"__proto__":{}}}'))).toMatch(/"__proto__" key at a$/);
    expect(unstorableIn({ ['k\ud800']: 1 })).toMatch(/in a key/);
    expect(unstorableIn(nested(MAX_JSON_DEPTH + 1))).toMatch(/nesting deeper than/);
  });

  it('accepts ordinary JSON, and input of any depth without exhausting the stack', () => {
    expect(
      unstorableIn({ name: 'Café 😀', n: 2 ** 60, list: [null, true, { x: 'y' }] }),
    ).toBeNull();
    expect(unstorableIn(nested(MAX_JSON_DEPTH - 1))).toBeNull();
    const deep = JSON.parse('['.repeat(200_000) + ']'.repeat(200_000)) as unknown;
    expect(unstorableIn(deep)).toMatch(/nesting deeper than/);
  });
});
