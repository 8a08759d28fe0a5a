// What McpAuthGuard answers for an admitted request: the one shape the
// endpoint, the 2025 sessions and the 2026 requests all take from it.
import type { Principal } from '@flowpos/core';

export interface Authenticated {
  /** The credential's principal as of now (for a new session). */
  principal: Principal;
  /** `key:<id>`, `user:<id>` or `grant:<id>`: a session may only be used by the credential that opened it. */
  credential: string;
  /** When the credential expires (epoch ms), if it does: its sessions end then. */
  expiresAt?: number | undefined;
}
