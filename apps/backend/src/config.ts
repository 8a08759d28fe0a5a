// The backend's configuration: every environment variable is read here and
// nowhere else (lint: no-restricted-properties), validated by the schema in
// config/ (one piece per concern) and passed down as one Config. Bad
// configuration stops the process.
import { credentialsConfig, type CredentialsConfig } from './config/credentials.ts';
import { isLoopbackHost, hostOfUrl } from './config/hosts.ts';
import { limitsConfig, type LimitsConfig } from './config/limits.ts';
import { mcpConfig, type McpConfig } from './config/mcp.ts';
import { observabilityConfig, type ObservabilityConfig } from './config/observability.ts';
import { envSchema } from './config/schema.ts';
import { serverConfig, type ServerConfig } from './config/server.ts';

export interface Config
  extends ServerConfig, CredentialsConfig, LimitsConfig, McpConfig, ObservabilityConfig {}

export class ConfigError extends Error {}

export function loadConfig(source: Record<string, string | undefined> = process.env): Config {
  const parsed = envSchema.safeParse(source);
  if (!parsed.success) {
    // One line, whatever the number of problems: it is what an operator sees first.
    const problems = parsed.error.issues.map(
      (i) => `${i.path.join('.') || 'config'}: ${i.message}`,
    );
    throw new ConfigError(`Invalid configuration: ${problems.join('; ')}`);
  }
  const env = parsed.data;
  return {
    ...serverConfig(env),
    ...credentialsConfig(env),
    ...limitsConfig(env),
    ...mcpConfig(env),
    ...observabilityConfig(env),
  };
}

/** Listening on loopback and published on loopback: nothing but this machine can reach the backend. */
export const isLocalOnly = (config: Pick<Config, 'host' | 'publicBaseUrl'>) =>
  isLoopbackHost(config.host) && isLoopbackHost(hostOfUrl(config.publicBaseUrl));

export const MCP_PATH = '/mcp';
export const mcpUrl = (config: Pick<Config, 'publicBaseUrl'>) =>
  `${config.publicBaseUrl}${MCP_PATH}`;

/** RFC 9728 metadata of /mcp as a protected resource: named in every 401 challenge. */
export const protectedResourceMetadataUrl = (config: Pick<Config, 'publicBaseUrl'>) =>
  `${config.publicBaseUrl}/.well-known/oauth-protected-resource`;
