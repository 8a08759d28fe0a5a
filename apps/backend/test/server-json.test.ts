// server.json, what the MCP Registry and the clients reading it know of this
// server, checked against the registry's server.json format, schema version
// 2025-12-11 (https://static.modelcontextprotocol.io/schemas/2025-12-11/server.schema.json):
// the fields we use, written out here as a zod schema. Stricter than the
// registry where that catches our own mistakes (unknown keys are refused).
// Then: it says what the running server says (version, title, icon, URL, header).
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ICON_SVGS, SERVER_INFO } from '@flowpos/core';
import { REPO_ROOT } from '@flowpos/db';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';

const SCHEMA_URL = 'https://static.modelcontextprotocol.io/schemas/2025-12-11/server.schema.json';

/** A value the user or the deployer supplies (the registry's Input). */
const input = z.strictObject({
  description: z.string().optional(),
  isRequired: z.boolean().optional(),
  isSecret: z.boolean().optional(),
  format: z.enum(['string', 'number', 'boolean', 'filepath']).optional(),
  value: z.string().optional(),
  default: z.string().optional(),
  placeholder: z.string().optional(),
  choices: z.array(z.string()).optional(),
});
const variables = z.record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/), input);

/** A header: a named Input whose value may use {variables}. */
const header = input.extend({ name: z.string().min(1), variables: variables.optional() });

/** `{name}` placeholders in a template. */
const placeholders = (template: string) =>
  [...template.matchAll(/\{([^}]+)\}/g)].map((m) => m[1] as string);

const remote = z
  .strictObject({
    type: z.enum(['streamable-http', 'sse']),
    // An http(s) URL, or a template whose {variables} make one.
    url: z.string().regex(/^(https?:\/\/|\{)/),
    headers: z.array(header).optional(),
    variables: variables.optional(),
  })
  .refine(
    (r) => placeholders(r.url).every((name) => r.variables?.[name] !== undefined),
    'every {variable} of the URL is declared in variables',
  )
  .refine(
    (r) => URL.canParse(r.url.replace(/\{[^}]+\}/g, 'example.com')),
    'the URL is a URL once its variables are filled in',
  );

const icon = z.strictObject({
  // The registry takes HTTPS icons only (no data: URIs), at most 255 characters.
  src: z.url({ protocol: /^https$/ }).max(255),
  mimeType: z.enum(['image/png', 'image/jpeg', 'image/jpg', 'image/svg+xml', 'image/webp']),
  sizes: z.array(z.string().regex(/^(\d+x\d+|any)$/)).optional(),
  theme: z.enum(['light', 'dark']).optional(),
});

const serverJson = z.strictObject({
  $schema: z.literal(SCHEMA_URL),
  // Reverse-DNS namespace, exactly one slash, then the server's name.
  name: z
    .string()
    .min(3)
    .max(200)
    .regex(/^[a-zA-Z0-9.-]+\/[a-zA-Z0-9._-]+$/),
  title: z.string().min(1).max(100).optional(),
  description: z.string().min(1).max(100),
  // A version, not a range.
  version: z
    .string()
    .min(1)
    .max(255)
    .refine((v) => !/^[\^~<>=]|(^|\.)(x|\*)$|^latest$/.test(v), 'a version, not a range'),
  websiteUrl: z.url().optional(),
  repository: z
    .strictObject({
      url: z.url(),
      source: z.string().min(1),
      id: z.string().optional(),
      subfolder: z.string().optional(),
    })
    .optional(),
  icons: z.array(icon).optional(),
  remotes: z.array(remote).min(1),
});

const raw = JSON.parse(readFileSync(resolve(REPO_ROOT, 'server.json'), 'utf8')) as Record<
  string,
  unknown
>;

describe('server.json for the MCP Registry', () => {
  it('follows the registry format (schema 2025-12-11)', () => {
    const result = serverJson.safeParse(raw);
    expect(result.error?.issues ?? []).toEqual([]);
  });

  it('the schema is not a formality: broken copies are refused', () => {
    const broken = [
      { ...raw, name: 'flowpos-mcp' },
      { ...raw, description: 'x'.repeat(101) },
      { ...raw, version: '^1.0.0' },
      { ...raw, icons: [{ src: 'data:image/svg+xml;base64,PHN2Zz4=', mimeType: 'image/svg+xml' }] },
      { ...raw, remotes: [{ type: 'stdio', url: 'https://pos.example.com/mcp' }] },
      { ...raw, remotes: [{ type: 'streamable-http', url: 'https://{host}/mcp' }] },
      { ...raw, transport: 'http' },
    ];
    for (const copy of broken) expect(serverJson.safeParse(copy).success).toBe(false);
  });

  it('says what the server says of itself: version, title and icon', () => {
    const parsed = serverJson.parse(raw);
    expect(parsed.version).toBe(SERVER_INFO.version);
    expect(parsed.title).toBe(SERVER_INFO.title);
    // The registry wants an HTTPS icon: the repository's copy of the server's own.
    const [served] = parsed.icons ?? [];
    expect(served?.src.endsWith('/docs/icons/flowpos.svg')).toBe(true);
    const file = readFileSync(resolve(REPO_ROOT, 'docs/icons/flowpos.svg'), 'utf8');
    expect(file.trim()).toBe(ICON_SVGS.flowpos);
  });

  it('offers the deployed /mcp URL, with OAuth or an API key in the Authorization header', () => {
    const [only] = serverJson.parse(raw).remotes;
    expect(only?.type).toBe('streamable-http');
    const url = new URL((only?.url ?? '').replace('{host}', 'pos.example.com'));
    expect(url.href).toBe('https://pos.example.com/mcp');
    // Optional: without the header the client takes the OAuth flow the 401 points to.
    expect(only?.headers).toEqual([
      expect.objectContaining({
        name: 'Authorization',
        isRequired: false,
        isSecret: true,
        value: 'Bearer {api_key}',
      }),
    ]);
    expect(only?.headers?.[0]?.variables?.api_key?.isSecret).toBe(true);
  });
});
