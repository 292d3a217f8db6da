/**
 * The operations endpoints over HTTP against `next start` + the local stack, as a monitor, an
 * anonymous visitor and each role would call them (Playwright's request API, no browser).
 *
 * Signed-in callers carry the same session cookies the app's sign-in sets: @supabase/ssr signs in
 * against the stack and hands us the cookies it would write, which we send as a Cookie header.
 */
import { expect, test, type APIRequestContext, type APIResponse } from '@playwright/test';
import { createServerClient } from '@supabase/ssr';
import { createClient } from '@supabase/supabase-js';
import { randomUUID } from 'node:crypto';
import WebSocket from 'ws';
import { DEMO_CLINIC, DEMO_LOGINS, type TDemoLogin } from '../../lib/domain/demo-logins';
import { topics } from '../../lib/domain/realtime';
import { SERVER_OPERATOR_ROLE } from '../../lib/ops/caller';
import {
  ZHealthReport,
  ZOpsErrorBody,
  ZServerStatsReport,
  ZStatsReport,
  ZStatusReport,
} from '../../lib/ops/schemas';

const HEALTH = '/api/realtime/health';
const STATUS = '/api/realtime/status';
const STATS = '/api/realtime/stats';
const SERVER_STATS = '/api/realtime/server-stats';

function env(name: string): string {
  const value = process.env[name];
  if (!value)
    throw new Error(`${name} is not set; run through the Playwright config (its global setup sets it)`);
  return value;
}

function demoLogin(role: TDemoLogin['role'], email?: string): TDemoLogin {
  const login = DEMO_LOGINS.find((l) => l.role === role && (!email || l.email === email));
  if (!login) throw new Error(`the seed has no ${role} login`);
  return login;
}

/** Signs in through @supabase/ssr and returns the Cookie header a browser would then send. */
async function sessionCookieFor(login: Pick<TDemoLogin, 'email' | 'password'>): Promise<string> {
  const jar = new Map<string, string>();
  const supabase = createServerClient(env('E2E_SUPABASE_URL'), env('E2E_SUPABASE_ANON_KEY'), {
    cookies: {
      getAll: () => [...jar].map(([name, value]) => ({ name, value })),
      setAll: (cookies) => {
        for (const { name, value } of cookies) {
          if (value) jar.set(name, value);
          else jar.delete(name);
        }
      },
    },
    // Node 20 has no global WebSocket; the client is never used for realtime here.
    realtime: { transport: WebSocket as unknown as typeof globalThis.WebSocket },
  });
  const { error } = await supabase.auth.signInWithPassword({ email: login.email, password: login.password });
  if (error) throw new Error(`sign-in as ${login.email} failed: ${error.message}`);
  expect(jar.size).toBeGreaterThan(0);
  return [...jar].map(([name, value]) => `${name}=${value}`).join('; ');
}

async function contextAs(
  playwright: { request: { newContext: (o: object) => Promise<APIRequestContext> } },
  cookie?: string,
) {
  return playwright.request.newContext({
    baseURL: env('E2E_BASE_URL'),
    extraHTTPHeaders: cookie ? { cookie } : {},
  });
}

/**
 * `no-store` must be among the directives. When the session cookie is refreshed or cleared on the
 * way, @supabase/ssr widens the header (private, no-cache, no-store, …), which is fine.
 */
function expectNoStore(res: APIResponse): void {
  const directives = (res.headers()['cache-control'] ?? '').split(',').map((d) => d.trim());
  expect(directives).toContain('no-store');
}

async function expectError(res: APIResponse, status: number, code: string): Promise<void> {
  expect(res.status()).toBe(status);
  expectNoStore(res);
  expect(ZOpsErrorBody.parse(await res.json()).error.code).toBe(code);
}

test.describe('GET /api/realtime/health (public)', () => {
  test('reports both checks, the version and the time, uncached, with no keys in it', async ({ request }) => {
    const res = await request.get(HEALTH);
    expect(res.status()).toBe(200);
    expectNoStore(res);
    const text = await res.text();
    const report = ZHealthReport.parse(JSON.parse(text));
    expect(report.status).not.toBe('error');
    expect(report.checks.database.status).not.toBe('error');
    expect(report.checks.realtime.status).not.toBe('error');
    expect(report.version).toMatch(/^\d+\.\d+\.\d+/);
    expect(Math.abs(Date.parse(report.timestamp) - Date.now())).toBeLessThan(10 * 60_000);
    expect(text).not.toContain(env('E2E_SUPABASE_ANON_KEY'));
    expect(text).not.toContain(env('E2E_SUPABASE_SERVICE_ROLE_KEY'));
  });

  test('refuses unknown query parameters with 400', async ({ request }) => {
    const res = await request.get(`${HEALTH}?verbose=1`);
    await expectError(res, 400, 'invalid_request');
  });
});

test.describe('GET /api/realtime/status (signed-in users)', () => {
  test('401 without a session, and with a session cookie that is not a valid session', async ({
    playwright,
    request,
  }) => {
    await expectError(await request.get(STATUS), 401, 'unauthenticated');
    // supabase-js's default storage key for this URL, holding a "session" whose token is garbage.
    const storageKey = `sb-${new URL(env('E2E_SUPABASE_URL')).hostname.split('.')[0]}-auth-token`;
    const session = Buffer.from(
      JSON.stringify({ access_token: 'nope', refresh_token: 'nope', expires_at: 4102444800 }),
    ).toString('base64url');
    const forged = await contextAs(playwright, `${storageKey}=base64-${session}`);
    await expectError(await forged.get(STATUS), 401, 'unauthenticated');
    await forged.dispose();
  });

  test('patient: their appointments topic and the clinic availability', async ({ playwright }) => {
    const login = demoLogin('patient');
    const ctx = await contextAs(playwright, await sessionCookieFor(login));
    const res = await ctx.get(STATUS);
    expect(res.status()).toBe(200);
    expectNoStore(res);
    const report = ZStatusReport.parse(await res.json());
    expect(report).toMatchObject({ userId: login.userId, role: 'patient', clinicId: DEMO_CLINIC.id });
    expect(report.topics.map((t) => t.topic)).toEqual([
      topics.patientAppointments(login.userId),
      topics.clinicAvailability(DEMO_CLINIC.id),
    ]);
    await ctx.dispose();
  });

  test('dentist: their schedule, the staff topic and availability, with their calendar’s latest event', async ({
    playwright,
  }) => {
    const login = demoLogin('dentist');
    const ctx = await contextAs(playwright, await sessionCookieFor(login));
    const res = await ctx.get(STATUS);
    expect(res.status()).toBe(200);
    const report = ZStatusReport.parse(await res.json());
    expect(report).toMatchObject({ userId: login.userId, role: 'dentist', clinicId: DEMO_CLINIC.id });
    expect(report.topics.map((t) => t.topic)).toEqual([
      topics.dentistSchedule(login.dentistId ?? ''),
      topics.clinicStaff(DEMO_CLINIC.id),
      topics.clinicAvailability(DEMO_CLINIC.id),
    ]);
    // The seed gives every dentist availability and appointments, all of it logged.
    expect(report.topics[0].lastEventAt).not.toBeNull();
    await ctx.dispose();
  });

  test('admin: clinic schedule, staff, availability and every dentist’s schedule', async ({ playwright }) => {
    const login = demoLogin('admin');
    const ctx = await contextAs(playwright, await sessionCookieFor(login));
    const res = await ctx.get(STATUS);
    expect(res.status()).toBe(200);
    const report = ZStatusReport.parse(await res.json());
    expect(report).toMatchObject({ userId: login.userId, role: 'admin', clinicId: DEMO_CLINIC.id });
    const offered = report.topics.map((t) => t.topic);
    expect(offered.slice(0, 3)).toEqual([
      topics.clinicSchedule(DEMO_CLINIC.id),
      topics.clinicStaff(DEMO_CLINIC.id),
      topics.clinicAvailability(DEMO_CLINIC.id),
    ]);
    const dentistTopics = DEMO_LOGINS.filter((l) => l.role === 'dentist').map((l) =>
      topics.dentistSchedule(l.dentistId ?? ''),
    );
    expect(offered.slice(3).sort()).toEqual(expect.arrayContaining(dentistTopics.sort()));
    expect(report.topics.find((t) => t.kind === 'clinic_schedule')?.lastEventAt).not.toBeNull();
    await ctx.dispose();
  });
});

test.describe('GET /api/realtime/stats (clinic admins)', () => {
  test('401 without a session', async ({ request }) => {
    await expectError(await request.get(STATS), 401, 'unauthenticated');
  });

  for (const role of ['patient', 'dentist'] as const) {
    test(`403 for a ${role}`, async ({ playwright }) => {
      const ctx = await contextAs(playwright, await sessionCookieFor(demoLogin(role)));
      await expectError(await ctx.get(STATS), 403, 'forbidden');
      await ctx.dispose();
    });
  }

  test('200 for an admin: the clinic’s own figures, labelled clinic, and no server-wide counters', async ({
    playwright,
  }) => {
    const ctx = await contextAs(playwright, await sessionCookieFor(demoLogin('admin')));
    const res = await ctx.get(STATS);
    expect(res.status()).toBe(200);
    expectNoStore(res);
    const text = await res.text();
    const report = ZStatsReport.strict().parse(JSON.parse(text));
    expect(report.scope).toBe('clinic');
    expect(report.clinic).toEqual({ id: DEMO_CLINIC.id, timezone: DEMO_CLINIC.timezone });
    expect(report.scheduling.bookingsThisWeek).toBeGreaterThanOrEqual(report.scheduling.bookingsToday);
    expect(text).not.toContain('connections');
    expect(text).not.toContain(env('E2E_SUPABASE_SERVICE_ROLE_KEY'));
    await expectError(await ctx.get(`${STATS}?clinic=${DEMO_CLINIC.id}`), 400, 'invalid_request');
    await ctx.dispose();
  });
});

/** A user the service role marked as a server operator (app_metadata, which users cannot edit). */
async function serverOperatorLogin(): Promise<{ email: string; password: string }> {
  const admin = createClient(env('E2E_SUPABASE_URL'), env('E2E_SUPABASE_SERVICE_ROLE_KEY'), {
    auth: { persistSession: false, autoRefreshToken: false },
    realtime: { transport: WebSocket as unknown as typeof globalThis.WebSocket },
  });
  const login = {
    email: `operator-${randomUUID().slice(0, 8)}@example.test`,
    password: 'operator-password-1',
  };
  const { error } = await admin.auth.admin.createUser({
    ...login,
    email_confirm: true,
    app_metadata: { ops_role: SERVER_OPERATOR_ROLE },
  });
  if (error) throw new Error(`creating a server operator failed: ${error.message}`);
  return login;
}

test.describe('GET /api/realtime/server-stats (server operators)', () => {
  test('401 without a session', async ({ request }) => {
    await expectError(await request.get(SERVER_STATS), 401, 'unauthenticated');
  });

  for (const role of ['patient', 'dentist', 'admin'] as const) {
    test(`403 for a clinic ${role}`, async ({ playwright }) => {
      const ctx = await contextAs(playwright, await sessionCookieFor(demoLogin(role)));
      await expectError(await ctx.get(SERVER_STATS), 403, 'forbidden');
      await ctx.dispose();
    });
  }

  test('200 for a server operator: the realtime server’s counters, labelled server-wide', async ({
    playwright,
  }) => {
    const ctx = await contextAs(playwright, await sessionCookieFor(await serverOperatorLogin()));
    const res = await ctx.get(SERVER_STATS);
    expect(res.status()).toBe(200);
    expectNoStore(res);
    const text = await res.text();
    const report = ZServerStatsReport.parse(JSON.parse(text));
    expect(report.scope).toBe('server');
    expect(report.realtime.source).toBe('local');
    expect(report.realtime.connections).not.toBeNull();
    expect(report.realtime.messagesPerSecond).not.toBeNull();
    expect(text).not.toContain(env('E2E_SUPABASE_SERVICE_ROLE_KEY'));
    await expectError(await ctx.get(`${SERVER_STATS}?scope=all`), 400, 'invalid_request');
    await ctx.dispose();
  });
});
