import { SignJWT, UnsecuredJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { McpTokenSigner, REFRESH_GRACE_SECONDS } from '../src/auth/mcp-token.ts';

const config = {
  secret: 'x'.repeat(40),
  ttlSeconds: 3600,
  issuer: 'http://issuer',
  audience: 'http://issuer/mcp',
};
const signer = new McpTokenSigner(config);
const claims = {
  sub: '6a7f2d0e-0000-4000-8000-000000000001',
  email: 'a@b.c',
  role: 'merchant',
  businessIds: ['b1'],
};
const DAY = 86_400_000;

describe('McpTokenSigner', () => {
  it('signs and verifies', async () => {
    const { token, tokenType, expiresIn } = await signer.sign(claims);
    expect(tokenType).toBe('Bearer');
    expect(expiresIn).toBe(3600);
    const verified = await signer.verify(token);
    expect(verified.sub).toBe(claims.sub);
    expect(verified.businessIds).toEqual(['b1']);
  });

  it('rejects alg none', async () => {
    const unsigned = new UnsecuredJWT({ email: 'a@b.c' })
      .setSubject(claims.sub)
      .setIssuer(config.issuer)
      .setAudience(config.audience)
      .setIssuedAt()
      .setExpirationTime('1h')
      .encode();
    await expect(signer.verify(unsigned)).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
    await expect(signer.verifyForRefresh(unsigned)).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
  });

  it('rejects another secret, another algorithm, another audience', async () => {
    const other = new McpTokenSigner({ ...config, secret: 'y'.repeat(40) });
    await expect(signer.verify((await other.sign(claims)).token)).rejects.toMatchObject({
      code: 'UNAUTHORIZED',
    });
    const hs512 = await new SignJWT({})
      .setProtectedHeader({ alg: 'HS512' })
      .setSubject(claims.sub)
      .setIssuer(config.issuer)
      .setAudience(config.audience)
      .setIssuedAt()
      .setExpirationTime('1h')
      .sign(new TextEncoder().encode(config.secret));
    await expect(signer.verify(hs512)).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
    const elsewhere = new McpTokenSigner({ ...config, audience: 'http://elsewhere/mcp' });
    await expect(signer.verify((await elsewhere.sign(claims)).token)).rejects.toMatchObject({
      code: 'UNAUTHORIZED',
    });
    await expect(signer.verify('not-a-jwt')).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
  });

  it('refuses an expired token for use but refreshes it within 7 days', async () => {
    const now = Date.now();
    const sixDaysAfterExpiry = (await signer.sign(claims, now - 6 * DAY - 3600_000)).token;
    const eightDaysAfterExpiry = (await signer.sign(claims, now - 8 * DAY - 3600_000)).token;
    await expect(signer.verify(sixDaysAfterExpiry, now)).rejects.toThrow(/expired/);
    await expect(signer.verifyForRefresh(sixDaysAfterExpiry, now)).resolves.toMatchObject({
      sub: claims.sub,
    });
    await expect(signer.verifyForRefresh(eightDaysAfterExpiry, now)).rejects.toThrow(
      /more than 7 days/,
    );
    expect(REFRESH_GRACE_SECONDS).toBe(7 * 86_400);
  });
});
