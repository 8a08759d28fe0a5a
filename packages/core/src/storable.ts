// Whatever a caller sends may be hostile. PostgreSQL refuses U+0000 in text
// and jsonb and a lone UTF-16 surrogate in jsonb, and one such value in a
// batched write fails the whole batch: so every caller-sent value is either
// refused at the edge (`unstorableIn`, a clear 400 / -32602) or made safe
// before it is stored (`storableText`, `storableJson`). Keys that reach for an
// object's prototype and nesting no reader needs are dropped too.

/** What replaces a NUL or a lone surrogate in stored text (U+FFFD, as decoders do). */
export const REPLACEMENT_CHARACTER = '\uFFFD';
/** Deeper JSON than this is refused at the edge and cut when stored (PostgreSQL's own parser recurses). */
export const MAX_JSON_DEPTH = 64;
/** What stands in for a subtree cut at MAX_JSON_DEPTH. */
export const TOO_DEEP = '[nested too deep]';

// A NUL, a high surrogate not followed by a low one, or a low one not preceded by a high one.
const UNSTORABLE_TEXT =
  // eslint-disable-next-line no-control-regex -- finding NUL is the point
  /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const PROTOTYPE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Whether a value may be looked up in or written to a uuid column (PostgreSQL refuses anything else with an error). */
export function isUuid(value: unknown): value is string {
  return typeof value === 'string' && UUID.test(value);
}

export function isStorableText(value: string): boolean {
  UNSTORABLE_TEXT.lastIndex = 0;
  return !UNSTORABLE_TEXT.test(value);
}

/** The text with every NUL and lone surrogate replaced by U+FFFD. */
export function storableText(value: string): string {
  return isStorableText(value) ? value : value.replace(UNSTORABLE_TEXT, REPLACEMENT_CHARACTER);
}

const isPlainObject = (value: object): value is Record<string, unknown> => {
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
};

/**
 * A JSON copy of `value` that PostgreSQL stores as jsonb: text made storable,
 * prototype keys dropped, subtrees past MAX_JSON_DEPTH cut, numbers that JSON
 * cannot hold as null, bigints as text; what JSON.stringify would drop
 * (undefined, functions) is dropped.
 */
export function storableJson(value: unknown, depth = 0): unknown {
  switch (typeof value) {
    case 'string':
      return storableText(value);
    case 'number':
      return Number.isFinite(value) ? value : null;
    case 'bigint':
      return value.toString();
    case 'boolean':
      return value;
    case 'object':
      break;
    default:
      return undefined;
  }
  if (value === null) return null;
  if (depth >= MAX_JSON_DEPTH) return TOO_DEEP;
  if (Array.isArray(value)) return value.map((v) => storableJson(v, depth + 1) ?? null);
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
  if (!isPlainObject(value)) {
    const json = (value as { toJSON?: () => unknown }).toJSON;
    return typeof json === 'function' ? storableJson(json.call(value), depth) : String(value);
  }
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    if (PROTOTYPE_KEYS.has(key)) continue;
    const stored = storableJson(v, depth + 1);
    if (stored !== undefined) out[storableText(key)] = stored;
  }
  return out;
}

/**
 * Where parsed JSON holds something that cannot be stored as sent: a NUL or a
 * lone surrogate in a string or key, a prototype key, or nesting past
 * MAX_JSON_DEPTH. Returns a short description naming the path, or null.
 * Iterative, so no depth of input can exhaust the stack.
 */
export function unstorableIn(value: unknown): string | null {
  const stack: { value: unknown; path: string; depth: number }[] = [{ value, path: '', depth: 0 }];
  const at = (path: string) => (path ? ` at ${path.slice(0, 200)}` : '');
  while (stack.length > 0) {
    const { value: v, path, depth } = stack.pop()!;
    if (typeof v === 'string') {
      if (!isStorableText(v)) return `a NUL character or lone surrogate${at(path)}`;
      continue;
    }
    if (typeof v !== 'object' || v === null) continue;
    if (depth >= MAX_JSON_DEPTH) return `nesting deeper than ${MAX_JSON_DEPTH}${at(path)}`;
    if (Array.isArray(v)) {
      v.forEach((item, i) => stack.push({ value: item, path: `${path}[${i}]`, depth: depth + 1 }));
      continue;
    }
    for (const [key, item] of Object.entries(v)) {
      const keyPath = path ? `${path}.${key}` : key;
      if (PROTOTYPE_KEYS.has(key)) return `a "${key}" key${at(path)}`;
      if (!isStorableText(key)) return `a NUL character or lone surrogate in a key${at(path)}`;
      stack.push({ value: item, path: keyPath, depth: depth + 1 });
    }
  }
  return null;
}
