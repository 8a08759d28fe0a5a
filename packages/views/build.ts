// Builds each view into one self-contained HTML file (dist/<name>.html):
// scripts and styles inlined by vite-plugin-singlefile, nothing fetched at run
// time (the hosts apply a deny-all CSP). One vite build per view: a
// single-file build has one entry.
import { fileURLToPath } from 'node:url';
import { build } from 'vite';
import { viteSingleFile } from 'vite-plugin-singlefile';

export const VIEWS = ['sales-summary', 'end-of-day', 'approvals'] as const;
const root = fileURLToPath(new URL('.', import.meta.url));

for (const [i, name] of VIEWS.entries()) {
  await build({
    root,
    configFile: false,
    logLevel: 'warn',
    plugins: [viteSingleFile()],
    build: {
      outDir: 'dist',
      emptyOutDir: i === 0,
      rollupOptions: { input: `${root}${name}.html` },
    },
  });
}
