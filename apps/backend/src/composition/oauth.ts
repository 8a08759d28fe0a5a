// The OAuth authorization server with what keeps it bounded: dynamic client
// registrations (limited per address, unused ones deleted) and the sweeper of
// expired records.
import type Provider from 'oidc-provider';
import type { Logger } from 'pino';
import type { Config } from '../config.ts';
import { createAuthorizationServer } from '../oauth/authorization-server.ts';
import {
  boundRegistrations,
  createClientRegistrations,
  type ClientRegistrations,
} from '../oauth/client-registrations.ts';
import { startOAuthRecordSweeper } from '../oauth/oauth-record-sweeper.ts';
import { reportTokenRefusals } from '../oauth/token-refusals.ts';
import type { CoreServices } from './core-services.ts';

export interface OAuth {
  provider: Provider;
  registrations: ClientRegistrations;
  stop(): void;
}

export function createOAuth(config: Config, core: CoreServices, logger: Logger): OAuth {
  const { db, audit } = core;
  const provider = createAuthorizationServer({ config, db, audit, directory: core.sessions });
  reportTokenRefusals(provider, { db, audit, logger });
  const registrations = createClientRegistrations(db, config);
  boundRegistrations(provider, registrations);
  return { provider, registrations, stop: startOAuthRecordSweeper(db) };
}
