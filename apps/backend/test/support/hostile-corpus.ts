// The hostile-input corpus every surface's suite (test/hostile/*) feeds its
// endpoint: each caller-sent field in turn replaced by a hostile value, plus
// bodies hostile as a whole. JSON that JSON.stringify cannot write (numbers
// past 2^53, duplicate keys, `__proto__`, deep nesting, invalid UTF-8) goes
// in as raw text. `sendCorpus` sends them one by one and reports every answer
// that is a 5xx or never comes.
import { expect } from 'vitest';
import { parsedOrUndefined } from './raw-http.ts';

export interface HostileBody {
  name: string;
  body: string | Uint8Array;
}

const rawTexts: string[] = [];
/** A JSON fragment written as is where this placeholder stands. */
function raw(text: string): string {
  rawTexts.push(text);
  return `@@raw#${rawTexts.length - 1}@@`;
}

const DEEP = 100_000;

/** Strings PostgreSQL or a naive handler chokes on. */
export const HOSTILE_STRINGS: [string, string][] = [
  ['NUL', 'before\u0000after'],
  ['lone high surrogate', 'x\ud800'],
  ['lone low surrogate', '\udc00y'],
  ['reversed surrogate pair', '\udc00\ud800'],
  ['1 MB string', 'x'.repeat(1_000_000)],
  ['control and format characters', '\u0007\u001b[31m\u202e\u200b\ufeff'],
];

/** Values for any field: the strings above, then the wrong types and the odd JSON. */
export const HOSTILE_VALUES: [string, unknown][] = [
  ...HOSTILE_STRINGS,
  ['number past 2^53', raw('9007199254740993')],
  ['number past float range', raw('1e400')],
  ['negative zero', raw('-0')],
  ['empty string', ''],
  ['array', ['a', 1]],
  ['object', { a: 1 }],
  ['boolean', true],
  ['null', null],
  ['number', 12345],
  ['deeply nested array', raw('['.repeat(DEEP) + ']'.repeat(DEEP))],
  ['__proto__ key', raw('{"__proto__":{"isAdmin":true}}')],
  ['constructor.prototype keys', raw('{"constructor":{"prototype":{"isAdmin":true}}}')],
  ['duplicate keys', raw('{"a":"ok","a":"before\\u0000after"}')],
];

/** A lone surrogate has no UTF-8 form: it goes as its CESU-8 bytes, percent-encoded. */
export const percentEncoded = (value: string) =>
  [...value]
    .map((ch) => {
      try {
        return encodeURIComponent(ch);
      } catch {
        return '%ED%A0%80';
      }
    })
    .join('');

/** Hostile strings as one URL segment or query value each (the 1 MB one too). */
export const HOSTILE_SEGMENTS: HostileBody[] = [
  ...HOSTILE_STRINGS.map(([name, value]) => ({ name, body: percentEncoded(value) })),
  { name: 'percent-encoded invalid UTF-8', body: '%FF%FE%C0%80%ED%A0%80' },
  { name: 'a raw %00', body: '%00' },
];

type Path = (string | number)[];

function setAt(base: unknown, path: Path, value: unknown): unknown {
  const copy = structuredClone(base) as Record<string | number, unknown>;
  let at = copy;
  for (const step of path.slice(0, -1)) at = at[step] as Record<string | number, unknown>;
  at[path[path.length - 1]!] = value;
  return copy;
}

function render(value: unknown): string {
  return JSON.stringify(value).replace(/"@@raw#(\d+)@@"/g, (_, i: string) => rawTexts[Number(i)]!);
}

const MARK = '@@invalid-utf8@@';
const INVALID_UTF8 = Buffer.from([
  0xff, 0xfe, /* overlong NUL */ 0xc0, 0x80, /* CESU-8 lone surrogate */ 0xed, 0xa0, 0x80, 0x80,
]);

/** The body with invalid UTF-8 bytes where `path`'s string would be. */
function invalidUtf8(base: unknown, path: Path): Uint8Array {
  const text = render(setAt(base, path, `a${MARK}b`));
  const [before, after] = text.split(MARK) as [string, string];
  return Buffer.concat([Buffer.from(before), INVALID_UTF8, Buffer.from(after)]);
}

/**
 * Every hostile value at every path of `base` (a valid body), then bodies
 * hostile as a whole: invalid UTF-8, a raw NUL byte, a `__proto__` and a
 * duplicate key at the top, deep nesting and JSON that is not an object.
 */
export function hostileBodies(base: Record<string, unknown>, paths: Path[]): HostileBody[] {
  const cases: HostileBody[] = [];
  for (const path of paths) {
    for (const [name, value] of HOSTILE_VALUES)
      cases.push({ name: `${path.join('.')}: ${name}`, body: render(setAt(base, path, value)) });
    cases.push({ name: `${path.join('.')}: invalid UTF-8`, body: invalidUtf8(base, path) });
  }
  const text = render(base);
  const firstKey = Object.keys(base)[0]!;
  cases.push(
    { name: 'raw NUL byte in the text', body: text.replace('{', '{"k":"a\u0000b",') },
    { name: '__proto__ at the top', body: text.replace('{', '{"__proto__":{"isAdmin":true},') },
    {
      name: 'duplicate top-level key',
      body: `${text.slice(0, -1)},${JSON.stringify(firstKey)}:{"x":"\\u0000"}}`,
    },
    { name: 'deeply nested body', body: '['.repeat(DEEP) + ']'.repeat(DEEP) },
    {
      name: 'deeply nested object body',
      body: '{"a":'.repeat(DEEP / 10) + '1' + '}'.repeat(DEEP / 10),
    },
    { name: 'a string body', body: '"x"' },
    { name: 'a number body', body: '9007199254740993' },
    { name: 'null body', body: 'null' },
    { name: 'an array body', body: '[]' },
  );
  return cases;
}

export interface HostileAnswer {
  name: string;
  status: number;
  text: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  json: any;
}

/** How long an answer may take before it counts as a hang (generous: the machine is shared). */
const HANG_MS = 30_000;

/**
 * Sends each case (`send` builds the request) and fails, naming them, on any
 * 5xx or any answer that does not come. Returns the answers for further checks.
 */
export async function sendCorpus(
  cases: HostileBody[],
  send: (body: string | Uint8Array, signal: AbortSignal) => Promise<Response>,
): Promise<HostileAnswer[]> {
  const answers: HostileAnswer[] = [];
  const broken: string[] = [];
  for (const { name, body } of cases) {
    try {
      const res = await send(body, AbortSignal.timeout(HANG_MS));
      const text = await res.text();
      const json = parsedOrUndefined(text);
      answers.push({ name, status: res.status, text, json });
      if (res.status >= 500) broken.push(`${name}: ${res.status} ${text.slice(0, 200)}`);
    } catch (error) {
      broken.push(`${name}: no answer (${(error as Error).name})`);
    }
  }
  expect(broken).toEqual([]);
  return answers;
}

/** A 4xx answer, or (on /mcp) a JSON-RPC answer: an error, or a result the server chose to give. */
export function expectRefusedOrAnswered(answers: HostileAnswer[]): void {
  const odd = answers.filter(
    (a) =>
      !(a.status >= 400 && a.status < 500) &&
      !(a.json && typeof a.json === 'object' && ('error' in a.json || 'result' in a.json)),
  );
  expect(odd.map((a) => `${a.name}: ${a.status} ${a.text.slice(0, 120)}`)).toEqual([]);
}

/**
 * The calls a tool ran for (each one audited): JSON-RPC results, less the
 * calls refused before any tool ran (arguments that do not fit, unknown tool).
 */
export const toolRuns = (answers: HostileAnswer[]) =>
  answers.filter(
    (a) =>
      a.status === 200 &&
      a.json?.result &&
      !/^(Input validation error: )?(Invalid arguments for tool|MCP error -32602: Tool )/.test(
        String(a.json.result.content?.[0]?.text),
      ),
  );

/** The answers to a NUL or a lone surrogate in a string: each must be a refusal (400). */
export function expectUnstorableRefused(answers: HostileAnswer[]): void {
  const unstorable = answers.filter((a) =>
    /: (NUL|lone (high|low) surrogate|reversed surrogate pair)$/.test(a.name),
  );
  expect(unstorable.length).toBeGreaterThan(0);
  expect(unstorable.filter((a) => a.status !== 400).map((a) => `${a.name}: ${a.status}`)).toEqual(
    [],
  );
}
