// A tool's schema as the SDK sees it: converted to JSON Schema once, validated
// by zod exactly as before.
import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { memoizedSchema } from '../../src/mcp/memoized-schema.ts';
import { toolInputSchema } from '../../src/mcp/tool-call-check.ts';
import { POS_TOOLS } from '../../src/tools/pos-tools.ts';

const target = { target: 'draft-2020-12' } as const;

describe('memoizedSchema', () => {
  it("converts every POS tool's schemas to the JSON Schema zod gives, once", () => {
    for (const tool of POS_TOOLS) {
      for (const [schema, io] of [
        [toolInputSchema(tool), 'input'],
        [tool.outputSchema, 'output'],
      ] as const) {
        const memo = memoizedSchema(schema);
        const first = memo['~standard'].jsonSchema[io](target);
        expect(first).toEqual(schema['~standard'].jsonSchema[io](target));
        expect(memo['~standard'].jsonSchema[io](target)).toBe(first);
        expect(memoizedSchema(schema)).toBe(memo);
      }
    }
  });

  it('keeps a converted schema from being edited by one caller for all', () => {
    const json = memoizedSchema(z.object({ a: z.string() }))['~standard'].jsonSchema.input(target);
    expect(() => {
      (json.properties as Record<string, unknown>).b = {};
    }).toThrow(TypeError);
  });

  it('validates with zod, unchanged', async () => {
    const schema = z.object({ n: z.number().int().min(1) });
    const memo = memoizedSchema(schema);
    expect(await memo['~standard'].validate({ n: 2 })).toEqual({ value: { n: 2 } });
    const refused = await memo['~standard'].validate({ n: 0 });
    expect(refused.issues?.[0]?.path).toEqual(['n']);
  });
});
