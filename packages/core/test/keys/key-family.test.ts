// A rolled key's rows are one key: found from any of its ids, grouped under
// the newest, whatever order the rows come in.
import { describe, expect, it } from 'vitest';
import { familyOf, groupByKey, headsOf } from '../../src/keys/key-family.ts';

// a -> b -> c (rolled twice), d never rolled, e rolled into a row not loaded.
const links = [
  { id: 'c', replacedById: null },
  { id: 'a', replacedById: 'b' },
  { id: 'd', replacedById: null },
  { id: 'b', replacedById: 'c' },
  { id: 'e', replacedById: 'gone' },
];

describe('key families', () => {
  it('every row finds the newest row of its key', () => {
    expect(Object.fromEntries(headsOf(links))).toEqual({ a: 'c', b: 'c', c: 'c', d: 'd', e: 'e' });
  });

  it('the family of any id is the same key, newest first', () => {
    for (const id of ['a', 'b', 'c']) expect(familyOf(links, id)).toEqual(['c', 'a', 'b']);
    expect(familyOf(links, 'd')).toEqual(['d']);
    expect(familyOf(links, 'unknown')).toEqual(['unknown']);
  });

  it('groups rows by key in the order of their heads', () => {
    const groups = groupByKey(links).map((g) => [g.head.id, g.older.map((o) => o.id)]);
    expect(groups).toEqual([
      ['c', ['a', 'b']],
      ['d', []],
      ['e', []],
    ]);
  });

  it('a cycle (never written, but not trusted) ends the walk instead of looping', () => {
    const cycle = [
      { id: 'x', replacedById: 'y' },
      { id: 'y', replacedById: 'x' },
    ];
    expect(
      groupByKey(cycle)
        .flatMap((g) => [g.head.id, ...g.older.map((o) => o.id)])
        .sort(),
    ).toEqual(['x', 'y']);
  });
});
