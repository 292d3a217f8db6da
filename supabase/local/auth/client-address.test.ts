import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { LOCAL_ANON_KEY, LOCAL_JWT_SECRET, LOCAL_SERVICE_ROLE_KEY } from '../config';
import { JwtCodec } from '../jwt';
import { canonicalIp, parseForwardedFor, resolveClientAddress } from './client-address';

const jwt = new JwtCodec(LOCAL_JWT_SECRET);

function request(headers: Record<string, string>, remoteAddress = '127.0.0.9'): IncomingMessage {
  const lower = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
  return { headers: lower, socket: { remoteAddress } } as unknown as IncomingMessage;
}

describe('canonicalIp / parseForwardedFor', () => {
  it.each([
    ['203.0.113.7', '203.0.113.7'],
    ['2001:DB8:0:0::1', '2001:db8::1'],
    ['::ffff:198.51.100.4', '198.51.100.4'],
    ['fe80::1%eth0', null],
    ['010.1.1.1', null],
    ['example.com', null],
    ['', null],
  ])('%j → %j', (input, expected) => expect(canonicalIp(input)).toBe(expected));

  it('takes the leftmost entry only', () => {
    expect(parseForwardedFor(' 203.0.113.7 , 10.0.0.1')).toBe('203.0.113.7');
    expect(parseForwardedFor('nope, 203.0.113.7')).toBeNull();
  });
});

describe('resolveClientAddress', () => {
  const forwarded = { 'Sb-Forwarded-For': '203.0.113.7' };

  it('uses Sb-Forwarded-For when enabled and the apikey is a secret key', async () => {
    const req = request({ ...forwarded, apikey: LOCAL_SERVICE_ROLE_KEY });
    expect(await resolveClientAddress(req, { sbForwardedForEnabled: true, jwt })).toBe('203.0.113.7');
  });

  it.each([
    ['forwarding is disabled', false, { ...forwarded, apikey: LOCAL_SERVICE_ROLE_KEY }],
    ['the apikey is the anon key', true, { ...forwarded, apikey: LOCAL_ANON_KEY }],
    [
      'the secret key is only in Authorization',
      true,
      { ...forwarded, Authorization: `Bearer ${LOCAL_SERVICE_ROLE_KEY}` },
    ],
    ['the value is not an address', true, { 'Sb-Forwarded-For': 'x', apikey: LOCAL_SERVICE_ROLE_KEY }],
    [
      'only X-Forwarded-For is set',
      true,
      { 'X-Forwarded-For': '203.0.113.7', apikey: LOCAL_SERVICE_ROLE_KEY },
    ],
  ])('falls back to the socket address when %s', async (_case, enabled, headers) => {
    const req = request(headers, '::ffff:127.0.0.9');
    expect(await resolveClientAddress(req, { sbForwardedForEnabled: enabled, jwt })).toBe('127.0.0.9');
  });
});
