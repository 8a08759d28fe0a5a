// The API keys the seed creates once, and the demo key npm start rotates.
import type { Role } from '@flowpos/core/roles';

export const DEMO_KEY_NAME = 'Demo key (npm start)';

export interface KeyDef {
  name: string;
  business: string;
  role: Role;
  createdBy: string;
}

export const SEED_KEYS: readonly KeyDef[] = [
  {
    name: 'Seed merchant key',
    business: 'Blue Bottle Bar',
    role: 'merchant',
    createdBy: 'owner@flowpos.test',
  },
  {
    name: 'Seed tenant_developer key',
    business: 'Corner Bakery',
    role: 'tenant_developer',
    createdBy: 'dev@flowpos.test',
  },
  {
    name: 'Seed platform_operator key',
    business: 'Blue Bottle Bar',
    role: 'platform_operator',
    createdBy: 'operator@flowpos.test',
  },
];

export const DEMO_KEY: KeyDef = {
  name: DEMO_KEY_NAME,
  business: 'Blue Bottle Bar',
  role: 'merchant',
  createdBy: 'owner@flowpos.test',
};
