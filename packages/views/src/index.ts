// The built views for the process that serves them: each view's single-file
// HTML (dist/<name>.html, made by `npm run build -w @flowpos/views`).
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const VIEWS_DIST = fileURLToPath(new URL('../dist/', import.meta.url));

/** The built HTML of each of `names`; throws, saying how to build them, when one is missing. */
export function readBuiltViews<Name extends string>(names: readonly Name[]): Record<Name, string> {
  const missing = names.filter((name) => !existsSync(`${VIEWS_DIST}${name}.html`));
  if (missing.length > 0) {
    throw new Error(
      `The views are not built (${missing.join(', ')}): run npm run build -w @flowpos/views`,
    );
  }
  return Object.fromEntries(
    names.map((name) => [name, readFileSync(`${VIEWS_DIST}${name}.html`, 'utf8')]),
  ) as Record<Name, string>;
}
