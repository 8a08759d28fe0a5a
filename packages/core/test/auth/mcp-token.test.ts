import { decodeProtectedHeader, SignJWT, UnsecuredJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { McpTokenSigner, REFRESH_GRACE_SECONDS, tokenKeyId } from '../../src/auth/mcp-token.ts';

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

  it('a validly signed token whose subject is not a user id is refused as invalid, not looked up', async () => {
    for (const sub of ['not-a-uuid', 'a\u0000b', '\ud800']) {
      const { token } = await signer.sign({ ...claims, sub });
      await expect(signer.verify(token)).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
      await expect(signer.verifyForRefresh(token)).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
    }
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

describe('McpTokenSigner key rotation', () => {
  const oldSecret = 'o'.repeat(40);
  const newSecret = 'n'.repeat(40);
  const before = new McpTokenSigner({ ...config, secret: oldSecret });
  const now = Date.now();
  const rotated = new McpTokenSigner({
    ...config,
    secret: newSecret,
    previousSecret: oldSecret,
    previousSecretUntil: now + DAY,
  });

  it('names its key in the token header without revealing the secret', async () => {
    const { token } = await rotated.sign(claims);
    const header = decodeProtectedHeader(token);
    expect(header.kid).toBe(tokenKeyId(newSecret));
    expect(header.kid).toBe(rotated.keyId);
    expect(token).not.toContain(newSecret);
    expect(tokenKeyId(oldSecret)).not.toBe(tokenKeyId(newSecret));
  });

  it('accepts tokens of the previous secret within the window, for use and refresh', async () => {
    const old = (await before.sign(claims, now)).token;
    await expect(rotated.verify(old, now)).resolves.toMatchObject({ sub: claims.sub });
    await expect(rotated.verifyForRefresh(old, now)).resolves.toMatchObject({ sub: claims.sub });
    const fresh = (await rotated.sign(claims, now)).token;
    await expect(rotated.verify(fresh, now)).resolves.toMatchObject({ sub: claims.sub });
  });

  it('refuses tokens of the previous secret after the window', async () => {
    const old = (await before.sign(claims, now)).token;
    const later = now + DAY + 1000;
    await expect(rotated.verify(old, later)).rejects.toThrow(/retired key/);
    await expect(rotated.verifyForRefresh(old, later)).rejects.toThrow(/retired key/);
  });

  it('accepts key-less tokens from either secret within the window only', async () => {
    const legacy = async (secret: string) =>
      new SignJWT({ email: claims.email, role: claims.role, businessIds: claims.businessIds })
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject(claims.sub)
        .setIssuer(config.issuer)
        .setAudience(config.audience)
        .setIssuedAt(Math.floor(now / 1000))
        .setExpirationTime(Math.floor(now / 1000) + 3600)
        .sign(new TextEncoder().encode(secret));
    await expect(rotated.verify(await legacy(oldSecret), now)).resolves.toMatchObject({
      sub: claims.sub,
    });
    await expect(rotated.verify(await legacy(newSecret), now)).resolves.toMatchObject({
      sub: claims.sub,
    });
    await expect(rotated.verify(await legacy(oldSecret), now + 2 * DAY)).rejects.toMatchObject({
      code: 'UNAUTHORIZED',
    });
  });

  it('refuses an unknown key id and a token claiming the current key with another secret', async () => {
    const forged = await new SignJWT({})
      .setProtectedHeader({ alg: 'HS256', kid: tokenKeyId(newSecret) })
      .setSubject(claims.sub)
      .setIssuer(config.issuer)
      .setAudience(config.audience)
      .setIssuedAt()
      .setExpirationTime('1h')
      .sign(new TextEncoder().encode('z'.repeat(40)));
    await expect(rotated.verify(forged, now)).rejects.toThrow('Invalid MCP access token');
    const unknown = await new SignJWT({})
      .setProtectedHeader({ alg: 'HS256', kid: 'deadbeefdeadbeef' })
      .setSubject(claims.sub)
      .setIssuer(config.issuer)
      .setAudience(config.audience)
      .setIssuedAt()
      .setExpirationTime('1h')
      .sign(new TextEncoder().encode(newSecret));
    await expect(rotated.verify(unknown, now)).rejects.toThrow('Invalid MCP access token');
  });
});

describe('McpTokenSigner verified-token memory', () => {
  const now = Date.now();

  it('answers a token it has verified from memory, with the same frozen claims', async () => {
    const { token } = await signer.sign({ ...claims, email: 'memory@b.c' }, now);
    const first = await signer.verify(token, now);
    expect(await signer.verify(token, now + 1000)).toBe(first);
    expect(Object.isFrozen(first) && Object.isFrozen(first.businessIds)).toBe(true);
  });

  it('still refuses a remembered token once it has expired', async () => {
    const { token } = await signer.sign({ ...claims, email: 'expiry@b.c' }, now);
    await signer.verify(token, now);
    await expect(signer.verify(token, now + 3600_000 + 1000)).rejects.toThrow(/expired/);
  });

  it("still refuses a remembered token of the previous secret once that secret's window closes", async () => {
    const oldSecret = 'p'.repeat(40);
    const long = { ...config, ttlSeconds: 3 * 86_400 };
    const rotated = new McpTokenSigner({
      ...long,
      secret: 'q'.repeat(40),
      previousSecret: oldSecret,
      previousSecretUntil: now + DAY,
    });
    const { token } = await new McpTokenSigner({ ...long, secret: oldSecret }).sign(claims, now);
    await expect(rotated.verify(token, now)).resolves.toMatchObject({ sub: claims.sub });
    await expect(rotated.verify(token, now + DAY + 1000)).rejects.toThrow(/retired key/);
  });

  it('remembers nothing it refused', async () => {
    const { token } = await signer.sign(claims, now);
    const tampered = `${token.slice(0, -2)}${token.endsWith('AA') ? 'BB' : 'AA'}`;
    await expect(signer.verify(tampered, now)).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
    await expect(signer.verify(tampered, now)).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
  });
});
