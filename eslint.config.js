// One lint configuration for every workspace (typescript-eslint, flat config).
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

// The backend's folders by concern (docs/architecture.md) and the one way
// their imports go: the composition root wires everything; the MCP endpoint
// uses auth, sessions (2025) and stateless (2026); every concern may use
// http/ (plumbing), observability/ and config; mcp/shared holds what both
// eras use, so sessions and stateless never import each other. The runbook's
// files keep their paths (mcp/application, mcp/interfaces) and count as part
// of their concern. Core's no-restricted-imports with patterns: no plugin.
const BACKEND = 'apps/backend/src';
const relative = (path) => `^\\.{1,2}/(?:.*/)?(?:${path})`;
const CONCERNS = {
  composition: { files: ['composition/**', 'main.ts'], imports: 'composition/' },
  endpoint: {
    files: ['mcp/endpoint/**', 'mcp/interfaces/mcp.controller.ts'],
    imports: 'endpoint/|interfaces/mcp\\.controller',
  },
  auth: { files: ['mcp/auth/**', 'mcp/interfaces/guards/**'], imports: 'auth/|guards/' },
  sessions: {
    files: ['mcp/sessions/**', 'mcp/application/mcp-session.service.ts'],
    imports: 'sessions/|mcp-session\\.service',
  },
  stateless: { files: ['mcp/stateless/**'], imports: 'stateless/|mcp-request\\.service' },
  'mcp/shared': { files: ['mcp/shared/**'], imports: 'shared/' },
  oauth: { files: ['oauth/**'], imports: 'oauth/' },
  tokens: {
    files: ['tokens/**', 'mcp/application/mcp-token.service.ts'],
    imports: 'tokens/|mcp-token\\.service',
  },
  keys: { files: ['keys/**'], imports: 'keys/' },
  audit: { files: ['audit/**'], imports: 'audit/' },
  http: { files: ['http/**'], imports: 'http/' },
  observability: { files: ['observability/**'], imports: 'observability/' },
  config: { files: ['config.ts', 'config/**'], imports: 'config(?:\\.ts|/)' },
};
const MCP = ['endpoint', 'auth', 'sessions', 'stateless', 'mcp/shared'];
const DOMAIN = ['oauth', 'tokens', 'keys', 'audit'];
/**
 * What each concern may not import (anything not named is allowed). The
 * patterns name folders and the runbook files, so `../mcp/sessions/x.ts` and
 * `../sessions/x.ts` are both caught, from anywhere.
 */
const FORBIDDEN = {
  composition: [],
  endpoint: ['composition', ...DOMAIN],
  auth: ['composition', 'endpoint', 'sessions', 'stateless', ...DOMAIN],
  sessions: ['composition', 'endpoint', 'auth', 'stateless', ...DOMAIN],
  stateless: ['composition', 'endpoint', 'auth', 'sessions', ...DOMAIN],
  'mcp/shared': ['composition', 'endpoint', 'auth', 'sessions', 'stateless', ...DOMAIN],
  oauth: ['composition', ...MCP, 'tokens', 'keys', 'audit'],
  tokens: ['composition', ...MCP, 'oauth', 'keys', 'audit'],
  keys: ['composition', ...MCP, 'oauth', 'tokens', 'audit'],
  audit: ['composition', ...MCP, 'oauth', 'tokens', 'keys'],
  http: ['composition', ...MCP, ...DOMAIN],
  observability: ['composition', ...MCP, ...DOMAIN, 'http'],
  config: ['composition', ...MCP, ...DOMAIN, 'http', 'observability'],
};
// t3's restrictEnvAccess: the environment is read in config.ts and passed down.
const ENV_MESSAGE = 'Read the environment in apps/backend/src/config.ts and pass the value down.';
const noEnvImport = [
  { name: 'process', importNames: ['env'], message: ENV_MESSAGE },
  { name: 'node:process', importNames: ['env'], message: ENV_MESSAGE },
];
const backendBoundaries = Object.entries(FORBIDDEN).map(([from, targets]) => ({
  files: CONCERNS[from].files.map((f) => `${BACKEND}/${f}`),
  rules: {
    'no-restricted-imports': [
      'error',
      {
        paths: noEnvImport,
        patterns: [
          ...targets.map((to) => ({
            regex: relative(CONCERNS[to].imports),
            message: `Imports go one way (docs/architecture.md): ${from} may not import ${to}.`,
          })),
        ],
      },
    ],
  },
}));

export default tseslint.config(
  {
    ignores: [
      '**/node_modules/**',
      '**/.next/**',
      '**/generated/**',
      '**/dist/**',
      'test-results/**',
      'playwright-report/**',
      '**/next-env.d.ts',
    ],
  },
  js.configs.recommended,
  { languageOptions: { globals: { ...globals.node } } },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
    },
  },
  ...backendBoundaries,
  {
    files: [`${BACKEND}/**/*.ts`],
    ignores: [`${BACKEND}/config.ts`],
    rules: {
      'no-restricted-properties': [
        'error',
        { object: 'process', property: 'env', message: ENV_MESSAGE },
      ],
    },
  },
  {
    // Small modules named for what they do (STYLE.md); blank lines and comments count.
    files: [`${BACKEND}/**/*.ts`],
    rules: { 'max-lines': ['error', { max: 300, skipBlankLines: false, skipComments: false }] },
  },
);
