// @flowpos/core/schemas is bundled into the console: it must reach no server
// code (database, Redis, Firebase Admin, Node modules), only zod and itself.
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createApiKeyInput, toolsPreviewInput } from '../../src/schemas/index.ts';

const entry = fileURLToPath(new URL('../../src/schemas/index.ts', import.meta.url));

/** Every module the file imports at run time (type-only imports vanish from the bundle). */
function runtimeImports(file: string): string[] {
  const source = readFileSync(file, 'utf8');
  return [...source.matchAll(/^(?:import|export)\s+(?!type\b)[^'"]*?from\s+'([^']+)'/gm)].map(
    (m) => m[1] as string,
  );
}

function reachable(file: string, seen = new Set<string>()): Set<string> {
  for (const spec of runtimeImports(file)) {
    const target = spec.startsWith('.') ? resolve(dirname(file), spec) : spec;
    if (seen.has(target)) continue;
    seen.add(target);
    if (spec.startsWith('.')) reachable(target, seen);
  }
  return seen;
}

describe('@flowpos/core/schemas', () => {
  it('imports nothing but zod and its own modules', () => {
    const packages = [...reachable(entry)].filter((s) => !s.startsWith('/'));
    expect(packages).toEqual(['zod']);
  });

  it('says what is wrong in the words the console shows', () => {
    const created = createApiKeyInput.safeParse({
      businessId: '00000000-0000-4000-8000-000000000000',
      name: ' ',
      scopes: [],
    });
    expect(created.error?.issues.map((i) => [i.path.join('.'), i.message])).toEqual([
      ['name', 'Give the key a name, e.g. “Claude on the shop laptop”.'],
      ['scopes', 'Choose at least one scope.'],
    ]);
    const preview = toolsPreviewInput.safeParse({
      mode: 'custom',
      role: 'merchant',
      scopes: [],
      businessCount: 0,
    });
    expect(preview.error?.issues[0]?.message).toBe('Enter a whole number from 1 to 10000.');
  });
});
