// The demo accounts (Firebase Auth Emulator + database) and their memberships.
import type { Role } from '@flowpos/core/roles';

export const DEMO_PASSWORD = 'flowpos-demo';

export interface MembershipDef {
  business: string;
  role: Role;
  isActive: boolean;
}

export interface UserDef {
  email: string;
  displayName: string;
  isPlatformOperator: boolean;
  memberships: MembershipDef[];
  /** What this account demonstrates (printed by the seed and by npm start). */
  description: string;
}

export const USERS: readonly UserDef[] = [
  {
    email: 'owner@flowpos.test',
    displayName: 'Olivia Owner',
    isPlatformOperator: false,
    memberships: [
      { business: 'Blue Bottle Bar', role: 'merchant', isActive: true },
      { business: 'Corner Bakery', role: 'merchant', isActive: true },
    ],
    description: 'merchant of Blue Bottle Bar and Corner Bakery',
  },
  {
    email: 'merchant@flowpos.test',
    displayName: 'Marco Merchant',
    isPlatformOperator: false,
    memberships: [{ business: 'Night Market Foods', role: 'merchant', isActive: true }],
    description: 'merchant of Night Market Foods',
  },
  {
    email: 'dev@flowpos.test',
    displayName: 'Dana Developer',
    isPlatformOperator: false,
    memberships: [{ business: 'Corner Bakery', role: 'tenant_developer', isActive: true }],
    description: 'tenant developer of Corner Bakery',
  },
  {
    email: 'operator@flowpos.test',
    displayName: 'Omar Operator',
    isPlatformOperator: true,
    memberships: [],
    description: 'platform operator (every business)',
  },
  {
    email: 'inactive@flowpos.test',
    displayName: 'Ivan Inactive',
    isPlatformOperator: false,
    memberships: [{ business: 'Night Market Foods', role: 'merchant', isActive: false }],
    description: 'inactive membership only: token exchange answers 403',
  },
];
