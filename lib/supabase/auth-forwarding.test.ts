import { describe, expect, it } from 'vitest';
import { createAuthForwardingFetch, endUserAddress } from './auth-forwarding';

const URL_BASE = 'http://127.0.0.1:54321';

function recordingFetch() {
  const calls: Array<{ url: string; headers: Headers }> = [];
  const fetchImpl = (async (input: RequestInfo | URL, init?: RequestInit) => {
    calls.push({ url: String(input), headers: new Headers(init?.headers) });
    return new Response('{}');
  }) as typeof fetch;
  return { calls, fetchImpl };
}

describe('endUserAddress', () => {
  it.each([
    ['203.0.113.7', '203.0.113.7'],
    ['6.6.6.6, 203.0.113.7', '203.0.113.7'],
    ['::ffff:127.0.0.1', '127.0.0.1'],
    ['2001:db8::1', '2001:db8::1'],
    ['unknown', null],
    ['', null],
    [null, null],
  ])('%j → %j', (header, expected) => expect(endUserAddress(header)).toBe(expected));
});

describe('createAuthForwardingFetch', () => {
  it('sends the server key and the end user’s address to Auth, keeping Authorization', async () => {
    const { calls, fetchImpl } = recordingFetch();
    const f = createAuthForwardingFetch({
      supabaseUrl: URL_BASE,
      serverKey: 'server-secret',
      endUserAddress: '203.0.113.7',
      fetch: fetchImpl,
    });
    await f(`${URL_BASE}/auth/v1/token?grant_type=password`, {
      headers: { apikey: 'public-key', Authorization: 'Bearer public-key' },
    });
    expect(calls[0].headers.get('apikey')).toBe('server-secret');
    expect(calls[0].headers.get('sb-forwarded-for')).toBe('203.0.113.7');
    expect(calls[0].headers.get('authorization')).toBe('Bearer public-key');
  });

  it.each([
    ['a REST request', `${URL_BASE}/rest/v1/clinics`, '203.0.113.7'],
    ['another origin', 'http://evil.test/auth/v1/token', '203.0.113.7'],
    ['an unknown end-user address', `${URL_BASE}/auth/v1/token`, null],
  ])('leaves %s untouched', async (_case, url, address) => {
    const { calls, fetchImpl } = recordingFetch();
    const f = createAuthForwardingFetch({
      supabaseUrl: URL_BASE,
      serverKey: 'server-secret',
      endUserAddress: address,
      fetch: fetchImpl,
    });
    await f(url, { headers: { apikey: 'public-key' } });
    expect(calls[0].headers.get('apikey')).toBe('public-key');
    expect(calls[0].headers.has('sb-forwarded-for')).toBe(false);
  });
});
