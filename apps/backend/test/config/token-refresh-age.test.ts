// MCP_TOKEN_REFRESH_MAX_AGE_SECONDS, and its former name still read with a
// warning, so that deployments setting the old name keep their limit.
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';

describe('the token refresh chain age limit', () => {
  it('defaults to 30 days with no deprecation', () => {
    const config = loadConfig({});
    expect(config.tokenRefreshMaxAgeSeconds).toBe(30 * 86_400);
    expect(config.deprecations).toEqual([]);
  });

  it('reads MCP_TOKEN_REFRESH_MAX_AGE_SECONDS', () => {
    const config = loadConfig({ MCP_TOKEN_REFRESH_MAX_AGE_SECONDS: '3600' });
    expect(config.tokenRefreshMaxAgeSeconds).toBe(3600);
    expect(config.deprecations).toEqual([]);
  });

  it('still reads the former MCP_MAX_SESSION_AGE_SECONDS, and says it is deprecated', () => {
    const config = loadConfig({ MCP_MAX_SESSION_AGE_SECONDS: '7200' });
    expect(config.tokenRefreshMaxAgeSeconds).toBe(7200);
    expect(config.deprecations).toEqual([
      expect.stringMatching(
        /MCP_MAX_SESSION_AGE_SECONDS is deprecated: rename it MCP_TOKEN_REFRESH_MAX_AGE_SECONDS/,
      ),
    ]);
  });

  it('with both set, the new name wins and the old one is said to be ignored', () => {
    const config = loadConfig({
      MCP_TOKEN_REFRESH_MAX_AGE_SECONDS: '3600',
      MCP_MAX_SESSION_AGE_SECONDS: '7200',
    });
    expect(config.tokenRefreshMaxAgeSeconds).toBe(3600);
    expect(config.deprecations).toEqual([expect.stringMatching(/deprecated and ignored/)]);
  });

  it('holds both names to the same minimum (5 minutes)', () => {
    expect(() => loadConfig({ MCP_TOKEN_REFRESH_MAX_AGE_SECONDS: '60' })).toThrow(
      /MCP_TOKEN_REFRESH_MAX_AGE_SECONDS/,
    );
    expect(() => loadConfig({ MCP_MAX_SESSION_AGE_SECONDS: '60' })).toThrow(
      /MCP_MAX_SESSION_AGE_SECONDS/,
    );
  });
});
