/**
 * Brute-force protection of password sign-in, as hosted Auth does it: a per-IP limit, IP address
 * forwarding (`Sb-Forwarded-For` with a secret key, enabled in supabase/config.toml) for servers
 * that sign users in on their behalf, no trust in `X-Forwarded-For`, and no per-account lock.
 *
 * Every test talks to the gateway from its own loopback address (127.a.b.c), so its socket address —
 * the rate-limit key whenever nothing trustworthy says otherwise — is shared with no other test.
 */
import http from 'node:http';
import { randomInt } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { serviceClient, stackInfo, uniqueEmail, withDb } from '../helpers/stack';

const PASSWORD = 'correct-horse-battery';
/** `[auth.rate_limit] sign_in_sign_ups` in supabase/config.toml. */
const SIGN_IN_LIMIT = 30;

interface Reply {
  status: number;
  body: Record<string, unknown>;
}

/** A loopback address no other test uses as its source address. */
function uniqueLoopback(): string {
  return `127.${randomInt(1, 255)}.${randomInt(0, 256)}.${randomInt(1, 255)}`;
}

function uniquePublicAddress(): string {
  return `198.51.${randomInt(0, 256)}.${randomInt(1, 255)}`;
}

/** POST /auth/v1/token?grant_type=password from the source address `from`. */
function signInFrom(from: string, email: string, password: string, headers: Record<string, string> = {}) {
  const s = stackInfo();
  const url = new URL(`${s.apiUrl}/auth/v1/token?grant_type=password`);
  const payload = JSON.stringify({ email, password });
  return new Promise<Reply>((resolve, reject) => {
    const req = http.request(
      {
        host: url.hostname,
        port: url.port,
        path: `${url.pathname}${url.search}`,
        method: 'POST',
        localAddress: from,
        headers: {
          apikey: s.anonKey,
          Authorization: `Bearer ${s.anonKey}`,
          'Content-Type': 'application/json',
          'X-Supabase-Api-Version': '2024-01-01',
          ...headers,
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) }),
        );
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

/** The headers a trusted server (the app) sends for its end user at `address`. */
function forwardedFor(address: string): Record<string, string> {
  return { apikey: stackInfo().serviceRoleKey, 'Sb-Forwarded-For': address };
}

async function createConfirmedUser(): Promise<{ id: string; email: string }> {
  const email = uniqueEmail('limit');
  const { data, error } = await serviceClient().auth.admin.createUser({
    email,
    password: PASSWORD,
    email_confirm: true,
  });
  if (error || !data.user) throw new Error(`createUser failed: ${error?.message}`);
  return { id: data.user.id, email };
}

async function failSignIns(count: number, from: string, headers: (i: number) => Record<string, string>) {
  for (let i = 0; i < count; i++) {
    const reply = await signInFrom(from, uniqueEmail('guess'), `wrong-${i}`, headers(i));
    expect(reply).toMatchObject({ status: 400, body: { code: 'invalid_credentials' } });
  }
}

describe('sign-in rate limit', () => {
  it('limits an address after the configured number of failures, even with the right password', async () => {
    const from = uniqueLoopback();
    const { email } = await createConfirmedUser();
    await failSignIns(SIGN_IN_LIMIT, from, () => ({}));
    const limited = await signInFrom(from, email, PASSWORD);
    expect(limited).toMatchObject({ status: 429, body: { code: 'over_request_rate_limit' } });
    expect((await signInFrom(uniqueLoopback(), email, PASSWORD)).status).toBe(200);
  });

  it('limits per forwarded end-user address, so one attacker does not lock out the server’s other users', async () => {
    const server = uniqueLoopback();
    const attacker = uniquePublicAddress();
    const user = `2001:db8::${randomInt(1, 0xffff).toString(16)}`;
    const { id, email } = await createConfirmedUser();
    await failSignIns(SIGN_IN_LIMIT, server, () => forwardedFor(attacker));

    const blocked = await signInFrom(server, email, PASSWORD, forwardedFor(attacker));
    expect(blocked).toMatchObject({ status: 429, body: { code: 'over_request_rate_limit' } });
    const signedIn = await signInFrom(server, email, PASSWORD, forwardedFor(user));
    expect(signedIn.status).toBe(200);
    // The forwarded address is also the one recorded on the session, as hosted Auth records it.
    const ips = await withDb(async (db) => {
      const { rows } = await db.query<{ ip: string }>(
        'select host(ip) as ip from auth.sessions where user_id = $1',
        [id],
      );
      return rows.map((r) => r.ip);
    });
    expect(ips).toEqual([user]);
  });

  it('ignores Sb-Forwarded-For without a secret key, and when it is not an IP address', async () => {
    const from = uniqueLoopback();
    const { email } = await createConfirmedUser();
    await failSignIns(SIGN_IN_LIMIT / 2, from, () => ({ 'Sb-Forwarded-For': uniquePublicAddress() }));
    await failSignIns(SIGN_IN_LIMIT / 2, from, (i) => ({
      ...forwardedFor('not-an-address'),
      'X-Test': String(i),
    }));
    const limited = await signInFrom(from, email, PASSWORD, { 'Sb-Forwarded-For': uniquePublicAddress() });
    expect(limited.status).toBe(429);
  });

  it('does not trust a client-supplied X-Forwarded-For', async () => {
    const from = uniqueLoopback();
    const { email } = await createConfirmedUser();
    await failSignIns(SIGN_IN_LIMIT, from, () => ({ 'X-Forwarded-For': uniquePublicAddress() }));
    const limited = await signInFrom(from, email, PASSWORD, { 'X-Forwarded-For': uniquePublicAddress() });
    expect(limited).toMatchObject({ status: 429, body: { code: 'over_request_rate_limit' } });
  });

  it('never locks an account against its owner: wrong guesses from elsewhere leave the right password working', async () => {
    const { email } = await createConfirmedUser();
    const attacker = uniqueLoopback();
    for (let i = 0; i < 12; i++) {
      const reply = await signInFrom(attacker, email, `wrong-${i}`);
      expect(reply).toMatchObject({ status: 400, body: { code: 'invalid_credentials' } });
    }
    expect((await signInFrom(uniqueLoopback(), email, PASSWORD)).status).toBe(200);
  });
});
