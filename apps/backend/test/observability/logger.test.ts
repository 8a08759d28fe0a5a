// npm start's logs are pino-pretty lines a person reads; production's are JSON.
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/observability/logger.ts';
import { requestContext } from '../../src/observability/request-context.ts';

function capture() {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      chunks.push(String(chunk));
      done();
    },
  });
  return { stream, text: () => chunks.join('') };
}

describe('createLogger', () => {
  it('writes readable lines in pretty format, with the request id and secrets redacted', () => {
    const out = capture();
    const logger = createLogger({ level: 'info', format: 'pretty' }, out.stream);
    requestContext.run({ requestId: 'req-42' }, () =>
      logger.info({ authorization: { authorization: 'Bearer s3cret' } }, 'session opened'),
    );
    const line = out.text();
    expect(line).toMatch(/INFO.*session opened/);
    expect(line).toContain('req-42');
    expect(line).not.toContain('s3cret');
    expect(() => JSON.parse(line)).toThrow();
    expect(line.trim().split('\n')).toHaveLength(1);
  });

  it('writes JSON lines in json format; outside a request there is no request id', () => {
    const out = capture();
    const logger = createLogger({ level: 'info', format: 'json' }, out.stream);
    logger.info('started');
    const entry = JSON.parse(out.text()) as Record<string, unknown>;
    expect(entry).toMatchObject({ msg: 'started', level: 30 });
    expect(entry).not.toHaveProperty('requestId');
  });

  it('redacts credentials and one-time tickets, at the top of a line or one level down', () => {
    const out = capture();
    const logger = createLogger({ level: 'info', format: 'json' }, out.stream);
    const secrets = {
      ticket: 'ticket-s3cret',
      token: 'token-s3cret',
      refresh_token: 'refresh-s3cret',
      access_token: 'access-s3cret',
      client_secret: 'client-s3cret',
      code_verifier: 'verifier-s3cret',
    };
    logger.info({ ...secrets, query: { ...secrets } }, 'consent finished');
    const text = out.text();
    for (const value of Object.values(secrets)) expect(text).not.toContain(value);
    const entry = JSON.parse(text) as { ticket: string; query: { ticket: string } };
    expect(entry.ticket).toBe('[redacted]');
    expect(entry.query.ticket).toBe('[redacted]');
  });

  it('keeps an error code (not an OAuth code) readable', () => {
    const out = capture();
    const logger = createLogger({ level: 'info', format: 'json' }, out.stream);
    logger.warn({ err: Object.assign(new Error('reset'), { code: 'ECONNRESET' }) }, 'redis error');
    expect(out.text()).toContain('ECONNRESET');
  });
});
