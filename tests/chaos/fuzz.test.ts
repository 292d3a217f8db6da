/**
 * A seeded fuzzer over the local stack's three wire surfaces: REST (`/rest/v1`), Auth (`/auth/v1`)
 * and Realtime websocket frames (Phoenix vsn 1.0.0 and 2.0.0, text and binary).
 *
 * It mutates valid requests — the kind supabase-js sends — rather than sending noise, so the input
 * gets past routing and parsing into planning, SQL and the channel logic. A run fails on any 5xx,
 * connection error (a crash), answer slower than HANG_MS, websocket close with an internal-error code,
 * or anything in an answer that looks like leaked internals (stack frames, file paths,
 * node_modules, PostgreSQL source locations).
 *
 * The seed is printed; `CHAOS_SEED=<n>` replays a run exactly (per surface), `CHAOS_SCALE=long`
 * sends ten times as many inputs. Each surface reports every failing input, not just the first.
 */
import http from 'node:http';
import { randomInt } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { serviceClient, stackInfo, uniqueEmail } from '../helpers/stack';
import { chaosSeed, createRandom, scaled, type TRandom } from './chaos-helpers';

const SCALE = scaled(1, 10);
const REST_INPUTS = 4000 * SCALE;
const AUTH_INPUTS = 600 * SCALE;
const WS_SESSIONS = 400 * SCALE;
const FRAMES_PER_SESSION = 12;
/** An answer slower than this counts as a hang. */
const HANG_MS = 5_000;
const MAX_REPORTED = 25;
const SEED = chaosSeed('fuzz');

// ── seeded randomness ───────────────────────────────────────────────────────────────────────────

type Rng = TRandom;

// ── mutation vocabulary ─────────────────────────────────────────────────────────────────────────

/** Fragments that have broken parsers and databases before: bytes Postgres refuses, bad escapes, syntax. */
const TOKENS = [
  '\0',
  '%00',
  '%',
  '%zz',
  '%C0%AF',
  '%ED%A0%80',
  '%FF',
  '%E0%A4%A',
  '\uD800',
  '\u2028',
  '😀',
  'é',
  '"',
  "'",
  '(',
  ')',
  ',',
  '.',
  ':',
  '::',
  '::text',
  '->',
  '->>',
  '*',
  '!',
  '!inner',
  '\\',
  ';',
  ' ',
  '\t',
  '\n',
  '{',
  '}',
  '[',
  ']',
  'null',
  'true',
  '-1',
  '0',
  '99999999999999999999999',
  '1e309',
  'NaN',
  'eq.',
  'in.(',
  'is.null',
  'cs.{',
  'fts(english).',
  'not.',
  'or=(',
  'a'.repeat(64),
  'x'.repeat(300),
];

const JSON_VALUES: unknown[] = [
  null,
  true,
  0,
  -1,
  1.5,
  1e308,
  Number.MAX_SAFE_INTEGER + 2,
  '',
  'a\u0000b',
  '\u0000',
  'x\uD800y',
  '\uDC00',
  '😀',
  'z'.repeat(5000),
  [],
  [1, 'two', null],
  {},
  { nested: { deeper: [{ x: '\u0000' }] } },
  '2024-13-45T99:99:99Z',
  '00000000-0000-0000-0000-000000000000',
  'not-a-uuid',
];

function mutateString(rng: Rng, s: string): string {
  const at = rng.int(s.length + 1);
  switch (rng.int(7)) {
    case 0:
      return s.slice(0, at) + rng.pick(TOKENS) + s.slice(at);
    case 1:
      return rng.pick(TOKENS);
    case 2:
      return s.slice(0, at);
    case 3:
      return s.slice(0, at) + s.slice(at + 1 + rng.int(5));
    case 4:
      return s + s.slice(at);
    case 5:
      return s.slice(0, at) + rng.pick(TOKENS) + rng.pick(TOKENS) + s.slice(at);
    default:
      return s.replace(/[a-z_]+/, (w) => w + rng.pick(TOKENS));
  }
}

function nested(depth: number): unknown {
  let v: unknown = 1;
  for (let i = 0; i < depth; i++) v = { a: [v] };
  return v;
}

/** Replace, add or remove a random node of a JSON value. */
function mutateJson(rng: Rng, value: unknown, depth = 0): unknown {
  if (depth > 4 || rng.chance(0.25)) {
    switch (rng.int(4)) {
      case 0:
        return rng.pick(JSON_VALUES);
      case 1:
        return typeof value === 'string' ? mutateString(rng, value) : rng.pick(JSON_VALUES);
      case 2:
        return nested(50 + rng.int(200));
      default:
        return [value];
    }
  }
  if (Array.isArray(value)) {
    if (value.length === 0) return [rng.pick(JSON_VALUES)];
    const copy = [...value];
    const i = rng.int(copy.length);
    copy[i] = mutateJson(rng, copy[i], depth + 1);
    return copy;
  }
  if (value !== null && typeof value === 'object') {
    const copy: Record<string, unknown> = { ...(value as Record<string, unknown>) };
    const keys = Object.keys(copy);
    const op = rng.int(4);
    if (op === 0 || keys.length === 0)
      copy[mutateString(rng, rng.pick([...keys, 'key']))] = rng.pick(JSON_VALUES);
    else if (op === 1) delete copy[rng.pick(keys)];
    else {
      const k = rng.pick(keys);
      copy[k] = mutateJson(rng, copy[k], depth + 1);
    }
    return copy;
  }
  return rng.chance(0.5) ? rng.pick(JSON_VALUES) : value;
}

// ── HTTP requests ───────────────────────────────────────────────────────────────────────────────

interface HttpInput {
  method: string;
  /** Path and query as raw URL text: `%xx` sequences are sent as they are. */
  path: string;
  headers: Record<string, string>;
  body?: string | Buffer;
}

interface HttpOutcome {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
}

const RAW_URL_CHAR = /[A-Za-z0-9\-._~!$&'()*+,;=:@/%?]/;

/** Percent-encodes what an HTTP client may not send raw; `%` stays, so malformed escapes get through. */
function toRawUrl(text: string): string {
  let out = '';
  for (const ch of text) {
    out += RAW_URL_CHAR.test(ch)
      ? ch
      : [...Buffer.from(ch, 'utf8')].map((b) => `%${b.toString(16).toUpperCase().padStart(2, '0')}`).join('');
  }
  return out;
}

/** Header values an HTTP client can put on the wire at all (Node refuses control characters). */
function toHeaderValue(text: string): string {
  return [...text].filter((c) => /^[\t\x20-\x7e\x80-\xff]$/.test(c)).join('');
}

function mutateQuery(rng: Rng, path: string, keys: readonly string[]): string {
  const [base, query = ''] = path.split(/\?(.*)/s, 2);
  const pairs = query === '' ? [] : query.split('&').map((p) => p.split(/=(.*)/s, 2) as [string, string?]);
  const op = rng.int(4);
  if (op === 0 || pairs.length === 0) pairs.push([rng.pick(keys), mutateString(rng, rng.pick(TOKENS))]);
  else if (op === 1) pairs.splice(rng.int(pairs.length), 1);
  else {
    const i = rng.int(pairs.length);
    const [k, v = ''] = pairs[i];
    pairs[i] = rng.chance(0.3) ? [mutateString(rng, k), v] : [k, mutateString(rng, v)];
  }
  const q = pairs.map(([k, v]) => (v === undefined ? k : `${k}=${v}`)).join('&');
  return q === '' ? base : `${base}?${q}`;
}

function mutateHttp(
  rng: Rng,
  input: HttpInput,
  headerPool: Record<string, readonly string[]>,
  queryKeys: readonly string[],
): HttpInput {
  const out: HttpInput = { ...input, headers: { ...input.headers } };
  const rounds = 1 + rng.int(3);
  for (let i = 0; i < rounds; i++) {
    // Weighted: query strings and bodies reach planning and SQL; a mangled path mostly stops at routing.
    switch (rng.pick([0, 0, 0, 0, 2, 3, 3, 4, 4, 4, 5])) {
      case 0:
        out.path = mutateQuery(rng, out.path, queryKeys);
        break;
      case 2: {
        const segments = out.path.split('?', 1)[0].split('/');
        const at = 1 + rng.int(Math.max(1, segments.length - 1));
        segments[at] = mutateString(rng, segments[at] ?? '');
        out.path = segments.join('/') + out.path.slice(out.path.split('?', 1)[0].length);
        break;
      }
      case 3: {
        const name = rng.pick(Object.keys(headerPool));
        out.headers[name] = rng.chance(0.7)
          ? rng.pick(headerPool[name])
          : mutateString(rng, out.headers[name] ?? rng.pick(headerPool[name]));
        break;
      }
      case 4:
        if (typeof out.body === 'string' && rng.chance(0.8)) {
          try {
            out.body = JSON.stringify(mutateJson(rng, JSON.parse(out.body)));
          } catch {
            out.body = mutateString(rng, out.body);
          }
        } else if (out.body !== undefined) {
          const raw = Buffer.from(out.body);
          const at = rng.int(raw.length + 1);
          out.body = Buffer.concat([
            raw.subarray(0, at),
            Buffer.from([rng.pick([0x00, 0xff, 0xc0, 0xed, 0x22])]),
            raw.subarray(at),
          ]);
        } else {
          out.body = JSON.stringify(mutateJson(rng, {}));
          out.headers['Content-Type'] = 'application/json';
        }
        break;
      default:
        out.method = rng.pick(['GET', 'HEAD', 'POST', 'PATCH', 'PUT', 'DELETE', 'OPTIONS', 'TRACE', 'FOO']);
    }
  }
  return out;
}

/** Signs of internals in an answer: stack frames, source paths, node_modules, PostgreSQL's C sources. */
const LEAKS: Array<[string, RegExp]> = [
  ['stack frame', /\n\s+at\s|\bat [\w$.<>]+ \(/],
  ['node_modules', /node_modules/],
  ['file path', /(?:^|[\s"'(])\/(?:work|home|tmp|usr|root|var|opt)\//],
  ['source location', /\.(?:ts|js|mjs|cjs|c|go):\d+/],
  ['postgres internals', /"(?:routine|file|line|internalQuery|internalPosition)"\s*:/],
];

function leakIn(text: string): string | null {
  for (const [name, pattern] of LEAKS) if (pattern.test(text)) return name;
  return null;
}

/**
 * A keep-alive agent bound to one loopback source address, so this file's failed sign-ins limit only
 * itself. Keep-alive on purpose: a server that closes a connection it did not announce as closing
 * (`Connection: close`) breaks the next request of real clients too.
 */
function agentFrom(localAddress: string): http.Agent {
  return new http.Agent({ keepAlive: true, maxSockets: 1, localAddress } as http.AgentOptions);
}

function send(agent: http.Agent, input: HttpInput): Promise<HttpOutcome> {
  const api = new URL(stackInfo().apiUrl);
  return new Promise((resolve, reject) => {
    const body = input.body === undefined ? undefined : Buffer.from(input.body);
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(input.headers)) headers[k] = toHeaderValue(v);
    if (body) headers['Content-Length'] = String(body.length);
    const req = http.request(
      {
        host: api.hostname,
        port: api.port,
        method: input.method,
        path: toRawUrl(input.path),
        headers,
        agent,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          clearTimeout(timer);
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            text: Buffer.concat(chunks).toString('utf8'),
          });
        });
        res.on('error', reject);
      },
    );
    const timer = setTimeout(() => {
      req.destroy(new Error(`no answer within ${HANG_MS} ms`));
    }, HANG_MS);
    req.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    req.end(body);
  });
}

/** Tokens make reports unreadable; their shape is all that matters for reproducing a failure. */
function redact(text: string): string {
  return text.replace(/eyJ[\w-]*\.[\w-]*\.[\w-]*/g, '<jwt>');
}

function describeInput(input: HttpInput): string {
  const body = input.body === undefined ? '' : ` body=${JSON.stringify(String(input.body).slice(0, 200))}`;
  return redact(
    `${input.method} ${JSON.stringify(input.path.slice(0, 300))} headers=${JSON.stringify(input.headers)}${body}`,
  );
}

async function fuzzHttp(opts: {
  surface: string;
  seed: number;
  inputs: number;
  templates: HttpInput[];
  headerPool: Record<string, readonly string[]>;
  queryKeys: readonly string[];
}): Promise<string[]> {
  const rng = createRandom(opts.seed);
  const agent = agentFrom(uniqueLoopback());
  const failures: string[] = [];
  const statuses = new Map<number, number>();
  try {
    for (let n = 0; n < opts.inputs; n++) {
      const input = mutateHttp(rng, rng.pick(opts.templates), opts.headerPool, opts.queryKeys);
      try {
        const out = await send(agent, input);
        statuses.set(out.status, (statuses.get(out.status) ?? 0) + 1);
        const leak = leakIn(out.text);
        if (out.status >= 500)
          failures.push(`#${n} ${out.status} ${out.text.slice(0, 200)} ← ${describeInput(input)}`);
        else if (leak)
          failures.push(`#${n} leaked ${leak}: ${out.text.slice(0, 300)} ← ${describeInput(input)}`);
      } catch (err) {
        failures.push(`#${n} ${(err as Error).message} ← ${describeInput(input)}`);
      }
    }
  } finally {
    agent.destroy();
  }
  // How deep the inputs got: mostly 2xx/4xx from planning and SQL, not just 404s from routing.
  const histogram = [...statuses].sort(([a], [b]) => a - b).map(([k, v]) => `${k}×${v}`);
  process.stdout.write(`[fuzz] ${opts.surface}: ${histogram.join(' ')}\n`);
  return failures;
}

function uniqueLoopback(): string {
  return `127.${randomInt(1, 255)}.${randomInt(0, 256)}.${randomInt(1, 255)}`;
}

function report(surface: string, seed: number, failures: string[]): string {
  return `${surface} fuzz (CHAOS_SEED=${SEED}, surface seed ${seed}): ${failures.length} failing input(s)\n${failures
    .slice(0, MAX_REPORTED)
    .join('\n')}`;
}

// ── shared fixtures ─────────────────────────────────────────────────────────────────────────────

const PASSWORD = 'fuzz-password-1';
let user: { id: string; email: string; accessToken: string; refreshToken: string };

beforeAll(async () => {
  process.stdout.write(`[fuzz] CHAOS_SEED=${SEED} scale=${SCALE}\n`);
  const email = uniqueEmail('fuzz');
  const admin = serviceClient();
  const { data, error } = await admin.auth.admin.createUser({
    email,
    password: PASSWORD,
    email_confirm: true,
  });
  if (error || !data.user) throw new Error(`createUser failed: ${error?.message}`);
  const agent = agentFrom(uniqueLoopback());
  const signIn = await send(agent, {
    method: 'POST',
    path: '/auth/v1/token?grant_type=password',
    headers: { apikey: stackInfo().anonKey, 'Content-Type': 'application/json' },
    body: JSON.stringify({ email, password: PASSWORD }),
  });
  agent.destroy();
  const session = JSON.parse(signIn.text) as { access_token: string; refresh_token: string };
  user = { id: data.user.id, email, accessToken: session.access_token, refreshToken: session.refresh_token };
});

afterAll(async () => {
  if (user) await serviceClient().auth.admin.deleteUser(user.id);
});

// ── REST ────────────────────────────────────────────────────────────────────────────────────────

function restTemplates(): HttpInput[] {
  const s = stackInfo();
  const anon = { apikey: s.anonKey, Authorization: `Bearer ${s.anonKey}` };
  const authed = { apikey: s.anonKey, Authorization: `Bearer ${user.accessToken}` };
  const json = { 'Content-Type': 'application/json' };
  return [
    {
      method: 'GET',
      path: '/rest/v1/rest_films?select=id,title,year&order=year.desc&limit=5',
      headers: anon,
    },
    {
      method: 'GET',
      path: '/rest/v1/rest_films?select=title,rest_directors(name)&year=gte.2000',
      headers: anon,
    },
    {
      method: 'GET',
      path: '/rest/v1/rest_films?select=*,rest_roles(character,rest_actors(name))&or=(year.lt.1990,rating.gt.8)',
      headers: anon,
    },
    {
      method: 'GET',
      path: '/rest/v1/rest_films?data->>genre=eq.drama&tags=cs.{classic}&title=ilike.*the*',
      headers: anon,
    },
    {
      method: 'GET',
      path: '/rest/v1/rest_films?select=title&period=ov.[2000,2010)&synopsis=fts(english).love',
      headers: anon,
    },
    {
      method: 'GET',
      path: '/rest/v1/rest_numbers?n=in.(1,2,3)&label=not.is.null&offset=1',
      headers: { ...anon, Prefer: 'count=exact', Range: '0-9' },
    },
    { method: 'HEAD', path: '/rest/v1/rest_numbers?select=n', headers: { ...anon, Prefer: 'count=planned' } },
    {
      method: 'GET',
      path: '/rest/v1/rest_people?select=name,best_friend:rest_people!best_friend_id(name)',
      headers: anon,
    },
    { method: 'GET', path: '/rest/v1/rest_notes?select=*', headers: authed },
    {
      method: 'GET',
      path: '/rest/v1/rest_numbers?select=n,label&limit=3',
      headers: { ...anon, Accept: 'text/csv' },
    },
    {
      method: 'GET',
      path: '/rest/v1/rest_numbers?select=n&n=eq.1',
      headers: { ...anon, Accept: 'application/vnd.pgrst.object+json' },
    },
    {
      method: 'POST',
      path: '/rest/v1/rest_items?select=id,sku',
      headers: { ...anon, ...json, Prefer: 'return=representation' },
      body: JSON.stringify({ sku: 'fuzz', name: 'n', qty: 1, meta: { a: 1 }, labels: ['x'] }),
    },
    {
      method: 'POST',
      path: '/rest/v1/rest_items?on_conflict=sku',
      headers: { ...anon, ...json, Prefer: 'resolution=merge-duplicates,return=minimal' },
      body: JSON.stringify([
        { sku: 'fuzz-upsert', qty: 2 },
        { sku: 'fuzz-upsert-2', qty: 3 },
      ]),
    },
    {
      method: 'POST',
      path: '/rest/v1/rest_notes',
      headers: { ...authed, ...json, Prefer: 'return=representation' },
      body: JSON.stringify({ body: 'hello' }),
    },
    {
      method: 'PATCH',
      path: '/rest/v1/rest_items?sku=eq.fuzz-none',
      headers: { ...anon, ...json, Prefer: 'return=representation' },
      body: JSON.stringify({ qty: 5, price: 9.99 }),
    },
    {
      method: 'DELETE',
      path: '/rest/v1/rest_items?sku=eq.fuzz-none&qty=lt.0',
      headers: { ...anon, Prefer: 'return=representation' },
    },
    { method: 'GET', path: '/rest/v1/rpc/rest_add?a=1&b=2', headers: anon },
    {
      method: 'POST',
      path: '/rest/v1/rpc/rest_add',
      headers: { ...anon, ...json },
      body: JSON.stringify({ a: 1, b: 2 }),
    },
    {
      method: 'POST',
      path: '/rest/v1/rpc/rest_films_since?select=title&order=title',
      headers: { ...anon, ...json },
      body: JSON.stringify({ since: 2000 }),
    },
    {
      method: 'POST',
      path: '/rest/v1/rpc/rest_echo',
      headers: { ...anon, ...json, Prefer: 'params=single-object' },
      body: JSON.stringify({ any: ['thing'] }),
    },
    { method: 'GET', path: '/rest/v1/rpc/rest_squares?n=3&select=sq&sq=gt.1', headers: anon },
    { method: 'GET', path: '/rest/v1/', headers: anon },
  ];
}

const REST_HEADERS: Record<string, readonly string[]> = {
  Prefer: [
    'return=representation',
    'return=minimal',
    'count=exact',
    'count=estimated',
    'count=nonsense',
    'resolution=ignore-duplicates',
    'missing=default',
    'handling=strict, max-affected=1',
    'tx=rollback',
    'params=single-object',
    'return=headers-only',
  ],
  Range: ['0-0', '5-2', '-1', 'a-b', '0-', '99999999999999999999-1', 'items=0-1'],
  'Range-Unit': ['items', 'bytes', ''],
  Accept: [
    'application/json',
    'text/csv',
    'application/vnd.pgrst.object+json',
    'application/geo+json',
    '*/*',
    'text/plain',
    'application/vnd.pgrst.plan+json',
    ';;;',
  ],
  'Accept-Profile': ['public', 'graphql_public', 'auth', 'pg_catalog', 'nope', ''],
  'Content-Profile': ['public', 'private', ''],
  'Content-Type': [
    'application/json',
    'text/csv',
    'application/x-www-form-urlencoded',
    'text/plain',
    'application/octet-stream',
    'multipart/form-data',
  ],
  Authorization: [
    'Bearer not-a-jwt',
    'Bearer ',
    'Basic abc',
    'Bearer a.b.c',
    'bearer eyJhbGciOiJub25lIn0.eyJyb2xlIjoic2VydmljZV9yb2xlIn0.',
  ],
  apikey: ['', 'junk'],
};

const REST_QUERY_KEYS = [
  'select',
  'order',
  'limit',
  'offset',
  'or',
  'and',
  'not.and',
  'on_conflict',
  'columns',
  'title',
  'year',
  'data->>genre',
  'tags',
  'id',
  'n',
  'a',
  'b',
];

// ── Auth ────────────────────────────────────────────────────────────────────────────────────────

function authTemplates(): HttpInput[] {
  const s = stackInfo();
  const anon = {
    apikey: s.anonKey,
    Authorization: `Bearer ${s.anonKey}`,
    'Content-Type': 'application/json',
  };
  const modern = { ...anon, 'X-Supabase-Api-Version': '2024-01-01' };
  const asUser = { ...modern, Authorization: `Bearer ${user.accessToken}` };
  const asAdmin = { ...modern, apikey: s.serviceRoleKey, Authorization: `Bearer ${s.serviceRoleKey}` };
  return [
    {
      method: 'POST',
      path: '/auth/v1/signup',
      headers: modern,
      body: JSON.stringify({
        email: 'fuzz-signup@example.test',
        password: 'secret-123',
        data: { name: 'F' },
      }),
    },
    {
      method: 'POST',
      path: '/auth/v1/token?grant_type=password',
      headers: modern,
      body: JSON.stringify({ email: user.email, password: 'wrong-password' }),
    },
    {
      method: 'POST',
      path: '/auth/v1/token?grant_type=password',
      headers: { ...anon, 'Sb-Forwarded-For': '203.0.113.9' },
      body: JSON.stringify({ email: 'nobody@example.test', password: 'x' }),
    },
    {
      method: 'POST',
      path: '/auth/v1/token?grant_type=refresh_token',
      headers: modern,
      body: JSON.stringify({ refresh_token: 'abcdefghijkl' }),
    },
    { method: 'GET', path: '/auth/v1/user', headers: asUser },
    {
      method: 'PUT',
      path: '/auth/v1/user',
      headers: asUser,
      body: JSON.stringify({ data: { theme: 'dark' } }),
    },
    { method: 'GET', path: '/auth/v1/admin/users?page=1&per_page=2', headers: asAdmin },
    { method: 'GET', path: `/auth/v1/admin/users/${user.id}`, headers: asAdmin },
    {
      method: 'PUT',
      path: `/auth/v1/admin/users/${user.id}`,
      headers: asAdmin,
      body: JSON.stringify({ user_metadata: { fuzz: true }, app_metadata: { role: 'patient' } }),
    },
    {
      method: 'POST',
      path: '/auth/v1/admin/users',
      headers: asAdmin,
      body: JSON.stringify({
        email: 'fuzz-admin@example.test',
        password: 'secret-123',
        email_confirm: true,
        user_metadata: { a: 1 },
        ban_duration: 'none',
      }),
    },
    {
      method: 'DELETE',
      path: '/auth/v1/admin/users/00000000-0000-0000-0000-000000000000',
      headers: asAdmin,
      body: JSON.stringify({ should_soft_delete: true }),
    },
    { method: 'POST', path: '/auth/v1/logout?scope=others', headers: asUser },
    { method: 'GET', path: '/auth/v1/settings', headers: anon },
    { method: 'GET', path: '/auth/v1/.well-known/jwks.json', headers: anon },
  ];
}

const AUTH_HEADERS: Record<string, readonly string[]> = {
  'X-Supabase-Api-Version': ['2024-01-01', '2020-01-01', 'garbage', ''],
  'Content-Type': ['application/json', 'text/plain', 'application/x-www-form-urlencoded', ''],
  Authorization: ['Bearer not-a-jwt', 'Bearer ', 'Basic abc', 'Bearer a.b.c'],
  'Sb-Forwarded-For': ['203.0.113.7', '::1', 'not-an-ip', '1.2.3.4, 5.6.7.8', '999.1.1.1', 'fe80::1%eth0'],
  'X-Forwarded-For': ['1.2.3.4', 'junk'],
  'User-Agent': ['fuzz', 'x'.repeat(2000)],
};

const AUTH_QUERY_KEYS = ['grant_type', 'page', 'per_page', 'scope', 'redirect_to', 'filter'];

// ── Realtime ────────────────────────────────────────────────────────────────────────────────────

type Vsn = '1.0.0' | '2.0.0';

interface Frame {
  joinRef: string | null;
  ref: string | null;
  topic: string;
  event: string;
  payload: unknown;
}

function frameText(vsn: Vsn, f: Frame): string {
  return vsn === '1.0.0'
    ? JSON.stringify({ topic: f.topic, event: f.event, payload: f.payload, ref: f.ref, join_ref: f.joinRef })
    : JSON.stringify([f.joinRef, f.ref, f.topic, f.event, f.payload]);
}

/** A vsn 2 "user broadcast push" (kind 3): header, then join_ref, ref, topic, event and the payload. */
function binaryBroadcast(f: Frame, userEvent: string, payload: Buffer, json: boolean): Buffer {
  const fields = [f.joinRef ?? '', f.ref ?? '', f.topic, userEvent, ''].map((x) => Buffer.from(x));
  return Buffer.concat([Buffer.from([3, ...fields.map((b) => b.length), json ? 1 : 0]), ...fields, payload]);
}

function realtimeFrames(rng: Rng, topic: string, token: string): Frame[] {
  const joinRef = String(1 + rng.int(1000));
  const join: Frame = {
    joinRef,
    ref: joinRef,
    topic,
    event: 'phx_join',
    payload: {
      config: {
        broadcast: { self: rng.chance(0.5), ack: rng.chance(0.5) },
        presence: { key: 'fuzz', enabled: true },
        postgres_changes: rng.chance(0.5)
          ? [
              {
                event: rng.pick(['*', 'INSERT', 'UPDATE']),
                schema: 'public',
                table: 'rest_items',
                filter: rng.pick(['qty=gt.1', 'sku=eq.fuzz', 'id=in.(1,2)']),
              },
            ]
          : [],
        private: rng.chance(0.2),
      },
      access_token: rng.chance(0.7) ? token : stackInfo().anonKey,
    },
  };
  const at = (event: string, payload: unknown): Frame => ({
    joinRef,
    ref: String(rng.int(1e6)),
    topic,
    event,
    payload,
  });
  return [
    join,
    at('broadcast', { type: 'broadcast', event: 'cursor', payload: { x: 1, y: 2 } }),
    at('presence', { type: 'presence', event: 'track', payload: { online_at: 'now' } }),
    at('presence', { type: 'presence', event: 'untrack' }),
    at('access_token', { access_token: token }),
    { joinRef: null, ref: String(rng.int(1e6)), topic: 'phoenix', event: 'heartbeat', payload: {} },
    at('phx_leave', {}),
  ];
}

interface WsSessionResult {
  failures: string[];
  /** Whether a join was accepted, i.e. the mutated frames reached a joined channel. */
  joined: boolean;
}

async function fuzzSession(rng: Rng, n: number): Promise<WsSessionResult> {
  const s = stackInfo();
  const failures: string[] = [];
  const asked: Vsn = rng.chance(0.5) ? '1.0.0' : '2.0.0';
  const query = new URLSearchParams({ apikey: s.anonKey, vsn: asked, log_level: 'info' });
  if (rng.chance(0.1))
    query.set(
      rng.pick(['vsn', 'apikey', 'log_level']),
      mutateString(rng, rng.pick(['1.0.0', s.anonKey, 'info'])),
    );
  // A mutated vsn that is still a supported one is what the server will speak.
  const vsn: Vsn =
    query.get('vsn') === '1.0.0' || query.get('vsn') === '2.0.0' ? (query.get('vsn') as Vsn) : asked;
  const url = `${s.apiUrl.replace(/^http/, 'ws')}/realtime/v1/websocket?${query}`;
  const sent: string[] = [];
  const topic = `realtime:fuzz-${n}-${rng.int(1e6)}`;
  const where = () =>
    redact(
      `session #${n} vsn=${vsn} url=${JSON.stringify(url.slice(0, 300))} frames=${JSON.stringify(sent)}`,
    ).slice(0, 4000);

  const ws = new WebSocket(url, { localAddress: uniqueLoopback() } as WebSocket.ClientOptions);
  const opened = await new Promise<boolean>((resolve) => {
    const timer = setTimeout(() => {
      failures.push(`no websocket handshake within ${HANG_MS} ms ← ${where()}`);
      resolve(false);
    }, HANG_MS);
    ws.once('open', () => {
      clearTimeout(timer);
      resolve(true);
    });
    ws.once('unexpected-response', (_req, res) => {
      clearTimeout(timer);
      if ((res.statusCode ?? 0) >= 500) failures.push(`upgrade answered ${res.statusCode} ← ${where()}`);
      resolve(false);
    });
    ws.once('error', (err) => {
      clearTimeout(timer);
      if (!/Unexpected server response/.test(err.message))
        failures.push(`websocket error ${err.message} ← ${where()}`);
      resolve(false);
    });
  });
  if (!opened) {
    ws.terminate();
    return { failures, joined: false };
  }

  let closeCode: number | null = null;
  let joined = false;
  const pending = new Map<string, () => void>();
  ws.on('message', (data: Buffer, isBinary: boolean) => {
    if (isBinary) return;
    const text = data.toString('utf8');
    const leak = leakIn(text);
    if (leak) failures.push(`leaked ${leak}: ${text.slice(0, 300)} ← ${where()}`);
    if (text.includes('"phx_reply"') && text.includes('"status":"ok"') && text.includes(topic)) joined = true;
    for (const [ref, done] of pending) if (text.includes(`"${ref}"`)) done();
  });
  ws.on('close', (code) => (closeCode = code));
  /** Resolves when a frame mentioning `ref` arrives, the socket closes, or HANG_MS passes. */
  const waitForRef = (ref: string) =>
    new Promise<'answered' | 'closed' | 'timeout'>((resolve) => {
      const timer = setTimeout(() => resolve('timeout'), HANG_MS);
      pending.set(ref, () => {
        clearTimeout(timer);
        pending.delete(ref);
        resolve('answered');
      });
      ws.once('close', () => {
        clearTimeout(timer);
        resolve('closed');
      });
    });

  const frames = realtimeFrames(rng, topic, user.accessToken);
  for (let i = 0; i < FRAMES_PER_SESSION && ws.readyState === WebSocket.OPEN; i++) {
    const base = i === 0 ? frames[0] : rng.pick(frames);
    // The join mostly stays valid, so the mutated frames after it reach a joined channel.
    const mutate = rng.chance(i === 0 ? 0.15 : 0.7);
    let data: string | Buffer;
    let garbled = false;
    if (vsn === '2.0.0' && rng.chance(0.2)) {
      const json = rng.chance(0.5);
      let buf = binaryBroadcast(
        base,
        mutate ? mutateString(rng, 'cursor') : 'cursor',
        Buffer.from(json ? '{"x":1}' : [1, 2, 3]),
        json,
      );
      if (mutate) {
        buf = Buffer.from(buf);
        const op = rng.int(3);
        if (op === 0 && buf.length > 0) buf[rng.int(buf.length)] = rng.int(256);
        else if (op === 1) buf = buf.subarray(0, rng.int(buf.length + 1));
        else buf[1 + rng.int(5)] = 255;
      }
      data = buf;
      sent.push(`<binary ${buf.toString('hex').slice(0, 80)}>`);
    } else {
      const frame: Frame = mutate ? (mutateJson(rng, { ...base }) as Frame) : base;
      const text =
        frame && typeof frame === 'object' && 'topic' in frame
          ? frameText(vsn, frame)
          : JSON.stringify(frame);
      garbled = rng.chance(0.1);
      data = garbled ? mutateString(rng, text) : text;
      sent.push(data);
    }
    ws.send(data);
    // Wait for the join's answer, so what follows meets a joined channel rather than a joining one.
    if (i === 0 && !mutate && !garbled && (await waitForRef(String(frames[0].ref))) === 'timeout')
      failures.push(`join unanswered within ${HANG_MS} ms ← ${where()}`);
  }

  // The server must still answer on this socket (unless it closed it for cause) and never with 1011.
  if (ws.readyState === WebSocket.OPEN) {
    const ref = `probe-${n}`;
    const answer = waitForRef(ref);
    ws.send(frameText(vsn, { joinRef: null, ref, topic: 'phoenix', event: 'heartbeat', payload: {} }));
    if ((await answer) === 'timeout') failures.push(`heartbeat unanswered within ${HANG_MS} ms ← ${where()}`);
  }
  if (closeCode === 1011) failures.push(`closed with 1011 (internal error) ← ${where()}`);
  ws.terminate();
  return { failures, joined };
}

// ── the runs ────────────────────────────────────────────────────────────────────────────────────

describe('fuzz', () => {
  it(`REST: ${REST_INPUTS} mutated requests, no 5xx, hang or leak`, async () => {
    const seed = SEED + 1;
    const failures = await fuzzHttp({
      surface: 'REST',
      seed,
      inputs: REST_INPUTS,
      templates: restTemplates(),
      headerPool: REST_HEADERS,
      queryKeys: REST_QUERY_KEYS,
    });
    expect(failures, report('REST', seed, failures)).toEqual([]);
  });

  it(`Auth: ${AUTH_INPUTS} mutated requests, no 5xx, hang or leak`, async () => {
    const seed = SEED + 2;
    const failures = await fuzzHttp({
      surface: 'Auth',
      seed,
      inputs: AUTH_INPUTS,
      templates: authTemplates(),
      headerPool: AUTH_HEADERS,
      queryKeys: AUTH_QUERY_KEYS,
    });
    expect(failures, report('Auth', seed, failures)).toEqual([]);
  });

  it(`Realtime: ${WS_SESSIONS} sockets of mutated Phoenix frames (vsn 1 and 2, text and binary)`, async () => {
    const seed = SEED + 3;
    const rng = createRandom(seed);
    const failures: string[] = [];
    let joined = 0;
    for (let n = 0; n < WS_SESSIONS; n++) {
      const session = await fuzzSession(rng, n);
      failures.push(...session.failures);
      if (session.joined) joined++;
    }
    process.stdout.write(`[fuzz] Realtime: ${joined} of ${WS_SESSIONS} sessions joined their channel\n`);
    expect(failures, report('Realtime', seed, failures)).toEqual([]);
  });
});
