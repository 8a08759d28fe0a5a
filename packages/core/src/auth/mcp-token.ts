// V2 MCP access tokens: HS256 JWTs signed with MCP_TOKEN_SECRET. The algorithm
// is pinned on verification, so `alg: none` and algorithm confusion fail.
// Rotation: every token names its key (`kid`, derived from the secret, not
// revealing it); after a rotation the previous secret still verifies its own
// tokens until `previousSecretUntil`, so nobody is signed out by the change.
// A token verified once is remembered (bounded, until it expires or its key
// retires): a client sends the same token on every request, and HMAC + JSON +
// claim checks cost ~100x a map lookup. Only verification is cached; whether
// the person may still act (sign-out generation, memberships) is asked anew.
import { createHash } from 'node:crypto';
import { decodeProtectedHeader, errors, jwtVerify, SignJWT } from 'jose';
import { unauthorized } from '../errors.ts';
import { isUuid } from '../storable.ts';

export const MCP_TOKEN_ALG = 'HS256';
/** How long after expiry a token may still be refreshed. */
export const REFRESH_GRACE_SECONDS = 7 * 24 * 60 * 60;

/** Default hard age of a refresh chain, from the original sign-in. */
export const DEFAULT_MAX_SESSION_AGE_SECONDS = 30 * 24 * 60 * 60;

export interface McpTokenConfig {
  secret: string;
  /** The secret before the last rotation, accepted (verify and refresh) until `previousSecretUntil`. */
  previousSecret?: string;
  /** Epoch milliseconds; required with `previousSecret`. */
  previousSecretUntil?: number;
  ttlSeconds: number;
  issuer: string;
  audience: string;
}

/** What a token says about the person behind it, beyond its own lifetime. */
export interface McpTokenSubject {
  sub: string;
  email: string;
  role: string;
  businessIds: string[];
  /** The original Firebase sign-in (seconds); carried unchanged by every refresh. Defaults to now. */
  authTime?: number;
  /** The user's sign-out generation when the chain started; "sign out everywhere" bumps it. */
  generation?: number;
}

export interface McpTokenClaims {
  /** User id (database UUID). */
  sub: string;
  email: string;
  role: string;
  businessIds: readonly string[];
  iat: number;
  exp: number;
  /** Seconds since the epoch: the sign-in the refresh chain started from. */
  authTime: number;
  generation: number;
}

export interface IssuedToken {
  token: string;
  tokenType: 'Bearer';
  expiresIn: number;
}

interface SigningKey {
  kid: string;
  key: Uint8Array;
  /** Epoch ms after which the key no longer verifies; undefined for the current key. */
  until?: number;
}

/** A public, stable name for a secret: the first 16 hex chars of its SHA-256. */
export function tokenKeyId(secret: string): string {
  return createHash('sha256').update(secret).digest('hex').slice(0, 16);
}

function signingKey(secret: string, until?: number): SigningKey {
  return { kid: tokenKeyId(secret), key: new TextEncoder().encode(secret), until };
}

/** Verified tokens remembered per signer (oldest dropped first beyond this). */
export const VERIFIED_TOKEN_CACHE_SIZE = 10_000;

interface VerifiedToken {
  claims: McpTokenClaims;
  /** Epoch ms until which the cached verification holds: expiry, or the key's retirement. */
  until: number;
}

export class McpTokenSigner {
  private readonly current: SigningKey;
  private readonly previous: SigningKey | undefined;
  private readonly verified = new Map<string, VerifiedToken>();

  private readonly config: McpTokenConfig;
  constructor(config: McpTokenConfig) {
    this.config = config;
    this.current = signingKey(config.secret);
    this.previous =
      config.previousSecret && config.previousSecret !== config.secret
        ? signingKey(config.previousSecret, config.previousSecretUntil ?? 0)
        : undefined;
  }

  /** The key id new tokens carry. */
  get keyId(): string {
    return this.current.kid;
  }

  get ttlSeconds(): number {
    return this.config.ttlSeconds;
  }

  async sign(claims: McpTokenSubject, now = Date.now()): Promise<IssuedToken> {
    const iat = Math.floor(now / 1000);
    const token = await new SignJWT({
      email: claims.email,
      role: claims.role,
      businessIds: claims.businessIds,
      auth_time: Math.min(claims.authTime ?? iat, iat),
      gen: claims.generation ?? 0,
    })
      .setProtectedHeader({ alg: MCP_TOKEN_ALG, typ: 'JWT', kid: this.current.kid })
      .setSubject(claims.sub)
      .setIssuer(this.config.issuer)
      .setAudience(this.config.audience)
      .setIssuedAt(iat)
      .setExpirationTime(iat + this.config.ttlSeconds)
      .sign(this.current.key);
    return { token, tokenType: 'Bearer', expiresIn: this.config.ttlSeconds };
  }

  /** Full verification: signature, algorithm, issuer, audience and expiry. */
  async verify(token: string, now = Date.now()): Promise<McpTokenClaims> {
    const hit = this.verified.get(token);
    if (hit && now < hit.until) return hit.claims;
    if (hit) this.verified.delete(token);
    // Frozen: every caller of this token shares the one object from now on.
    const claims = await this.verifyWithTolerance(token, 0, now);
    Object.freeze(claims.businessIds);
    this.remember(token, Object.freeze(claims));
    return claims;
  }

  private remember(token: string, claims: McpTokenClaims): void {
    const kid = decodeProtectedHeader(token).kid;
    const keyUntil =
      this.previous && kid !== this.current.kid ? (this.previous.until ?? 0) : Infinity;
    if (this.verified.size >= VERIFIED_TOKEN_CACHE_SIZE)
      this.verified.delete(this.verified.keys().next().value as string);
    this.verified.set(token, { claims, until: Math.min(claims.exp * 1000, keyUntil) });
  }

  /**
   * Verification for refresh: the signature must be valid; the token may be
   * expired, but by no more than REFRESH_GRACE_SECONDS.
   */
  async verifyForRefresh(token: string, now = Date.now()): Promise<McpTokenClaims> {
    return this.verifyWithTolerance(token, REFRESH_GRACE_SECONDS, now);
  }

  private async verifyWithTolerance(
    token: string,
    toleranceSeconds: number,
    now: number,
  ): Promise<McpTokenClaims> {
    if (typeof token !== 'string' || token.split('.').length !== 3) {
      throw unauthorized('Invalid MCP access token');
    }
    const keys = this.keysFor(token, now);
    try {
      const payload = await this.verifyWithKeys(token, keys, toleranceSeconds, now);
      // Every token this server signs names a user id: anything else is not ours to look up.
      if (!isUuid(payload.sub)) throw unauthorized('Invalid MCP access token');
      const businessIds = Array.isArray(payload.businessIds)
        ? payload.businessIds.filter((b): b is string => typeof b === 'string')
        : [];
      return {
        sub: payload.sub as string,
        email: typeof payload.email === 'string' ? payload.email : '',
        role: typeof payload.role === 'string' ? payload.role : '',
        businessIds,
        iat: payload.iat as number,
        exp: payload.exp as number,
        // A token without auth_time started its chain when it was issued.
        authTime:
          typeof payload.auth_time === 'number' ? payload.auth_time : (payload.iat as number),
        generation: typeof payload.gen === 'number' ? payload.gen : 0,
      };
    } catch (error) {
      if (error instanceof errors.JWTExpired) {
        throw unauthorized(
          toleranceSeconds > 0
            ? 'MCP access token expired more than 7 days ago: exchange a Firebase ID token again'
            : 'MCP access token expired',
        );
      }
      throw unauthorized('Invalid MCP access token');
    }
  }

  private async verifyWithKeys(
    token: string,
    keys: Uint8Array[],
    toleranceSeconds: number,
    now: number,
  ) {
    for (const [i, key] of keys.entries()) {
      try {
        // `algorithms` pins HS256: jose rejects `none` and every other alg first.
        const { payload } = await jwtVerify(token, key, {
          algorithms: [MCP_TOKEN_ALG],
          issuer: this.config.issuer,
          audience: this.config.audience,
          clockTolerance: toleranceSeconds,
          currentDate: new Date(now),
          requiredClaims: ['sub', 'exp', 'iat'],
        });
        return payload;
      } catch (error) {
        if (!(error instanceof errors.JWSSignatureVerificationFailed) || i === keys.length - 1)
          throw error;
      }
    }
    throw unauthorized('Invalid MCP access token');
  }

  /**
   * The keys that may have signed a token: the one its `kid` names, or, for
   * tokens from before key ids existed, the current and (within the window)
   * the previous secret.
   */
  private keysFor(token: string, now: number): Uint8Array[] {
    let kid: unknown;
    try {
      kid = decodeProtectedHeader(token).kid;
    } catch {
      throw unauthorized('Invalid MCP access token');
    }
    const previous = this.previous && now < (this.previous.until ?? 0) ? this.previous : undefined;
    if (kid === undefined) return previous ? [this.current.key, previous.key] : [this.current.key];
    if (kid === this.current.kid) return [this.current.key];
    if (previous && kid === previous.kid) return [previous.key];
    if (this.previous && kid === this.previous.kid) {
      throw unauthorized(
        'MCP access token signed with a retired key: exchange a Firebase ID token again',
      );
    }
    throw unauthorized('Invalid MCP access token');
  }
}
