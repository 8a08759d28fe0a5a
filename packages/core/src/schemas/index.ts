// @flowpos/core/schemas: the zod schemas of inputs, with no server code
// (no database, Redis or Node modules), so the console validates its forms
// with the rules the server applies.
export * from '../roles.ts';
export * from './keys.ts';
export * from './tools-preview.ts';
export * from '../tools/tool-policy.ts';
export * from './sessions.ts';
export * from '../credential-kinds.ts';
