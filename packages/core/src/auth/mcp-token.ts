// V2 MCP access tokens: HS256 JWTs signed with MCP_TOKEN_SECRET. The algorithm
// is pinned on verification, so `alg: none` and algorithm confusion fail.
import { errors, jwtVerify, SignJWT } from 'jose';
import { unauthorized } from '../errors.ts';

export const MCP_TOKEN_ALG = 'HS256';
/** How long after expiry a token may still be refreshed. */
export const REFRESH_GRACE_SECONDS = 7 * 24 * 60 * 60;

export interface McpTokenConfig {
  secret: string;
  ttlSeconds: number;
  issuer: string;
  audience: string;
}

export interface McpTokenClaims {
  /** User id (database UUID). */
  sub: string;
  email: string;
  role: string;
  businessIds: string[];
  iat: number;
  exp: number;
}

export interface IssuedToken {
  token: string;
  tokenType: 'Bearer';
  expiresIn: number;
}

export class McpTokenSigner {
  private readonly key: Uint8Array;

  constructor(private readonly config: McpTokenConfig) {
    this.key = new TextEncoder().encode(config.secret);
  }

  get ttlSeconds(): number {
    return this.config.ttlSeconds;
  }

  async sign(
    claims: { sub: string; email: string; role: string; businessIds: string[] },
    now = Date.now(),
  ): Promise<IssuedToken> {
    const iat = Math.floor(now / 1000);
    const token = await new SignJWT({
      email: claims.email,
      role: claims.role,
      businessIds: claims.businessIds,
    })
      .setProtectedHeader({ alg: MCP_TOKEN_ALG, typ: 'JWT' })
      .setSubject(claims.sub)
      .setIssuer(this.config.issuer)
      .setAudience(this.config.audience)
      .setIssuedAt(iat)
      .setExpirationTime(iat + this.config.ttlSeconds)
      .sign(this.key);
    return { token, tokenType: 'Bearer', expiresIn: this.config.ttlSeconds };
  }

  /** Full verification: signature, algorithm, issuer, audience and expiry. */
  async verify(token: string, now = Date.now()): Promise<McpTokenClaims> {
    return this.verifyWithTolerance(token, 0, now);
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
    try {
      // `algorithms` pins HS256: jose rejects `none` and every other alg first.
      const { payload } = await jwtVerify(token, this.key, {
        algorithms: [MCP_TOKEN_ALG],
        issuer: this.config.issuer,
        audience: this.config.audience,
        clockTolerance: toleranceSeconds,
        currentDate: new Date(now),
        requiredClaims: ['sub', 'exp', 'iat'],
      });
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
}
