import { AuthApiError, AuthRetryableFetchError } from '@supabase/supabase-js';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  fromAuthFailure,
  fromPostgrestFailure,
  mapOpsError,
  OPS_ERROR_CODES,
  OPS_ERROR_MESSAGES,
  OPS_ERROR_STATUS,
  OpsError,
} from '@/lib/ops/errors';
import { errorResponse, jsonResponse, parseQuery, ZNoQuery } from '@/lib/ops/http';
import { ZOpsErrorBody } from '@/lib/ops/schemas';

afterEach(() => vi.restoreAllMocks());

describe('mapOpsError', () => {
  it.each(OPS_ERROR_CODES.map((code) => [code, OPS_ERROR_STATUS[code]] as const))(
    '%s → HTTP %i',
    (code, status) => {
      const mapped = mapOpsError(new OpsError(code));
      expect(mapped.status).toBe(status);
      expect(ZOpsErrorBody.parse(mapped.body)).toEqual({
        error: { code, message: OPS_ERROR_MESSAGES[code] },
      });
    },
  );

  it.each([
    ['a plain Error', new Error('relation "secret_table" does not exist at /srv/app/db.ts:42')],
    ['a string', 'password=hunter2'],
    ['undefined', undefined],
    [
      'an OpsError wrapping a database error',
      new OpsError('internal', undefined, { cause: new Error('permission denied for table activity_log') }),
    ],
  ])('%s becomes a 500 that says nothing about the cause', (_name, thrown) => {
    const mapped = mapOpsError(thrown);
    expect(mapped.status).toBe(500);
    expect(mapped.body).toEqual({ error: { code: 'internal', message: OPS_ERROR_MESSAGES.internal } });
    expect(mapped.shouldLog).toBe(true);
  });

  it('adds our own detail sentence to the fixed message', () => {
    expect(
      mapOpsError(new OpsError('invalid_request', 'Unknown query parameter: "x".')).body.error.message,
    ).toBe(`${OPS_ERROR_MESSAGES.invalid_request} Unknown query parameter: "x".`);
  });

  it.each([
    [0, 'upstream_unavailable'],
    [503, 'upstream_unavailable'],
    [504, 'upstream_unavailable'],
    [400, 'internal'],
    [401, 'internal'],
    [500, 'internal'],
  ] as const)('a PostgREST failure with HTTP %i is %s', (status, code) => {
    const err = fromPostgrestFailure('activity_log', status, { message: 'boom', code: '42P01' });
    expect(err.code).toBe(code);
    expect(mapOpsError(err).body.error.message).not.toContain('boom');
  });

  it.each([
    ['a network failure', new AuthRetryableFetchError('fetch failed', 0), 'upstream_unavailable'],
    ['an auth server error', new AuthApiError('oops', 500, 'unexpected_failure'), 'upstream_unavailable'],
    ['a rejected token', new AuthApiError('invalid JWT', 403, 'bad_jwt'), 'unauthenticated'],
    ['something unknown', new Error('what'), 'unauthenticated'],
  ])('an auth failure from %s is %s', (_name, error, code) => {
    expect(fromAuthFailure(error).code).toBe(code);
  });
});

describe('responses', () => {
  it('always carry Cache-Control: no-store', async () => {
    const ok = jsonResponse({ a: 1 });
    expect(ok.headers.get('cache-control')).toBe('no-store');
    expect(await ok.json()).toEqual({ a: 1 });
    vi.spyOn(console, 'error').mockImplementation(() => {});
    const failed = errorResponse(new Error('internal detail'), 'test');
    expect(failed.status).toBe(500);
    expect(failed.headers.get('cache-control')).toBe('no-store');
    expect(await failed.text()).not.toContain('internal detail');
  });

  it('log the cause of 500s and 503s server-side, but not of 401s', () => {
    const log = vi.spyOn(console, 'error').mockImplementation(() => {});
    errorResponse(new OpsError('unauthenticated'), 'test');
    expect(log).not.toHaveBeenCalled();
    const cause = new Error('the real reason');
    errorResponse(new OpsError('upstream_unavailable', undefined, { cause }), 'test');
    expect(log).toHaveBeenCalledWith('[test] upstream_unavailable:', cause);
  });
});

describe('parseQuery', () => {
  it('accepts a URL without parameters', () => {
    expect(parseQuery(ZNoQuery, 'http://app.test/api/realtime/health')).toEqual({});
  });

  it.each([
    ['one unknown parameter', 'http://app.test/x?verbose=1', 'Unknown query parameter: "verbose".'],
    ['two unknown parameters', 'http://app.test/x?a=1&b=2', 'Unknown query parameters: "a", "b".'],
    [
      'a very long name, cut',
      `http://app.test/x?${'n'.repeat(100)}=1`,
      `Unknown query parameter: "${'n'.repeat(40)}…".`,
    ],
  ])('refuses %s with invalid_request', (_name, url, detail) => {
    try {
      parseQuery(ZNoQuery, url);
      expect.unreachable('parseQuery should throw');
    } catch (err) {
      expect(err).toBeInstanceOf(OpsError);
      expect((err as OpsError).code).toBe('invalid_request');
      expect((err as OpsError).detail).toBe(detail);
    }
  });
});
