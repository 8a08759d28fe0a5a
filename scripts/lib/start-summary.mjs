// The box npm start prints once everything answers: where the console, the
// MCP endpoint and tRPC are, the demo users and the demo API key, and a curl
// line to try. Plain Node ESM, like the entry script that uses it.
import { say } from './basics.mjs';
import { redact } from './probes.mjs';

/** The seeded demo users (scripts/seed/users.ts), all with this password. */
const PASSWORD = 'flowpos-demo';
const USERS = [
  ['owner@flowpos.test', 'merchant of Blue Bottle Bar and Corner Bakery'],
  ['merchant@flowpos.test', 'merchant of Night Market Foods'],
  ['dev@flowpos.test', 'tenant developer of Corner Bakery (no intent tools)'],
  ['operator@flowpos.test', 'platform operator (all businesses, live sessions)'],
  ['inactive@flowpos.test', 'inactive membership only (token exchange: 403)'],
];

export async function printSummary({ port, consolePort, emulatorHost, demoKey, demoKeyLabel }) {
  // Dependencies are installed by now, and Node 24 strips the types of this module.
  const { curlInitializeExample } = await import('../seed/curl-example.ts');
  const mcp = `http://127.0.0.1:${port}/mcp`;
  const db = process.env.DATABASE_URL
    ? redact(process.env.DATABASE_URL)
    : 'embedded PGlite in .data/pglite (delete .data/ to start over)';
  const lines = [
    'FlowPOS MCP is running',
    '',
    `Console          http://127.0.0.1:${consolePort}`,
    `MCP endpoint     ${mcp}`,
    `tRPC             http://127.0.0.1:${port}/trpc`,
    `Auth emulator    ${emulatorHost} (Firebase project demo-flowpos)`,
    `Database         ${db}`,
    '',
    `Sign in to the console with (password ${PASSWORD}):`,
    ...USERS.map(([email, what]) => `  ${email.padEnd(24)}${what}`),
    '',
    demoKey
      ? `Demo API key (${demoKeyLabel}; new on every npm start, the previous one is revoked):`
      : 'Demo API key: not found in the seed output (see [seed] lines above)',
    ...(demoKey ? [`  ${demoKey}`] : []),
    '',
    'Try it:',
    ...curlInitializeExample(demoKey ?? '<key>', mcp)
      .split('\n')
      .map((line) => `  ${line}`),
    '',
    'Ctrl-C stops everything.',
  ];
  // A left border only: the curl line is wider than most terminals.
  const rule = '═'.repeat(78);
  say('');
  say(`╔${rule}`);
  for (const line of lines) say(`║ ${line}`);
  say(`╚${rule}`);
  say('');
}
