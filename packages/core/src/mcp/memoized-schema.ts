// A tool's zod schema as the MCP SDK sees it, with its JSON Schema converted
// once. The SDK converts a tool's schemas on every tools/list and, for a
// 2026 tools/call, on every request (a server is built per request): zod's
// conversion walks the whole schema each time (~120 µs for a POS tool). This
// wrapper is a plain Standard Schema (validation is zod's own, unchanged) whose
// JSON Schema converter answers from a per-schema memo.
import type { StandardSchemaWithJSON } from '@modelcontextprotocol/server';
import type { z } from 'zod';

export type MemoizedSchema<T = unknown> = StandardSchemaWithJSON<T, T>;
type ConvertOptions = Parameters<MemoizedSchema['~standard']['jsonSchema']['input']>[0];

const memos = new WeakMap<z.ZodType, MemoizedSchema>();

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value)) deepFreeze(inner);
  }
  return value;
}

/** `schema` with its JSON Schema conversions remembered per direction and target. */
export function memoizedSchema<T>(schema: z.ZodType<T>): MemoizedSchema<T> {
  const known = memos.get(schema);
  if (known) return known as MemoizedSchema<T>;
  const std = schema['~standard'];
  const converted = new Map<string, Record<string, unknown>>();
  const convert =
    (io: 'input' | 'output') =>
    (options: ConvertOptions): Record<string, unknown> => {
      // Conversions with library options are not remembered: they may differ per call.
      if (options.libraryOptions) return std.jsonSchema[io](options);
      const key = `${io} ${options.target}`;
      let json = converted.get(key);
      // Frozen: every caller shares the one object (the SDK spreads it, never edits it).
      if (!json) converted.set(key, (json = deepFreeze(std.jsonSchema[io](options))));
      return json;
    };
  const memo: MemoizedSchema<T> = {
    '~standard': {
      version: 1,
      vendor: std.vendor,
      validate: (value, options) => std.validate(value, options),
      jsonSchema: { input: convert('input'), output: convert('output') },
    },
  };
  memos.set(schema, memo);
  return memo;
}
