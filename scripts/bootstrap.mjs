// What `npm start`, `npm test`, `npm run cluster`, the bench and the soak share
// before they run anything of their own, one module a concern under scripts/lib:
// the dependencies and the Prisma client, system packages (apt-get when root),
// the Firebase Auth Emulator, probes, and child processes that stop as one
// process group, never left behind. Entry scripts import from here.
// Plain Node ESM on purpose: it runs before dependencies are installed.
export * from './lib/basics.mjs';
export * from './lib/probes.mjs';
export * from './lib/process-groups.mjs';
export * from './lib/install.mjs';
export * from './lib/auth-emulator.mjs';
