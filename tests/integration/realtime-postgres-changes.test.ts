/**
 * Postgres Changes through the unmodified supabase-js client over real websockets, for both
 * serializer versions. Each subscription waits for the server's `system` "Subscribed to PostgreSQL"
 * before writing. Negative cases are proven with a later sentinel change (delivery is in commit order).
 */
import { randomUUID } from 'node:crypto';
import type { RealtimeChannel, RealtimePostgresChangesPayload, SupabaseClient } from '@supabase/supabase-js';
import { SignJWT } from 'jose';
import { afterAll, describe, expect, it } from 'vitest';
import { anonClient, stackInfo, withDb } from '../helpers/stack';

const EVENT_TIMEOUT_MS = 8000;
const VERSIONS = ['1.0.0', '2.0.0'] as const;
type Row = Record<string, unknown>;
type Payload = RealtimePostgresChangesPayload<Row>;
interface ChangeFilter {
  event: '*' | 'INSERT' | 'UPDATE' | 'DELETE';
  schema: string;
  table?: string;
  filter?: string;
  select?: string[];
}

const clients: SupabaseClient[] = [];
afterAll(async () => {
  await Promise.all(clients.map((c) => c.removeAllChannels()));
});

const tag = () => `w-${randomUUID().slice(0, 8)}`;
const sql = (text: string, params: unknown[] = []) => withDb((db) => db.query(text, params));

async function userToken(sub: string): Promise<string> {
  return new SignJWT({ sub, role: 'authenticated' })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setExpirationTime('1h')
    .setIssuedAt()
    .sign(new TextEncoder().encode(stackInfo().jwtSecret));
}

async function clientFor(vsn: (typeof VERSIONS)[number], token?: string): Promise<SupabaseClient> {
  const client = anonClient({ vsn });
  if (token) await client.realtime.setAuth(token);
  clients.push(client);
  return client;
}

/** Joins a channel with one postgres_changes binding and resolves after "Subscribed to PostgreSQL". */
async function listen(client: SupabaseClient, filter: ChangeFilter) {
  const received: Payload[] = [];
  let wake: () => void = () => {};
  const channel: RealtimeChannel = client.channel(`pgc-${randomUUID()}`);
  const system = new Promise<{ status: string; message: string }>((resolve) => {
    channel.on('system', {}, (p: { extension?: string; status: string; message: string }) => {
      if (p.extension === 'postgres_changes') resolve(p);
    });
  });
  // `select` is newer than this client's filter type; the client passes the object through as is.
  channel.on('postgres_changes', filter as Omit<ChangeFilter, 'select'>, (p: Payload) => {
    received.push(p);
    wake();
  });
  channel.subscribe();
  const status = await Promise.race([
    system,
    new Promise<never>((_, reject) =>
      setTimeout(() => reject(new Error('no system message')), EVENT_TIMEOUT_MS),
    ),
  ]);
  const until = async (count: number): Promise<Payload[]> => {
    const deadline = Date.now() + EVENT_TIMEOUT_MS;
    while (received.length < count) {
      const left = deadline - Date.now();
      if (left <= 0)
        throw new Error(`timed out waiting for ${count} events, got ${JSON.stringify(received)}`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        wake = () => {
          clearTimeout(t);
          resolve();
        };
      });
    }
    return received;
  };
  return { channel, status, received, until, close: () => client.removeChannel(channel) };
}

describe.each(VERSIONS)('postgres_changes over supabase-js (vsn %s)', (vsn) => {
  it.each([
    ['INSERT', ['INSERT:1', 'INSERT:2']],
    ['UPDATE', ['UPDATE:1', 'UPDATE:2']],
    ['DELETE', ['DELETE:1', 'DELETE:2']],
    ['*', ['INSERT:1', 'UPDATE:1', 'DELETE:1', 'INSERT:2', 'UPDATE:2', 'DELETE:2']],
  ] as const)('event %s delivers exactly %j', async (event, expected) => {
    const t = tag();
    const base = Math.floor(Math.random() * 1e9);
    const l = await listen(await clientFor(vsn), {
      event,
      schema: 'public',
      table: 'pgc_full',
      filter: `tag=eq.${t}`,
    });
    expect(l.status.status).toBe('ok');
    expect(l.status.message).toBe('Subscribed to PostgreSQL');
    try {
      for (const n of [1, 2]) {
        await sql('insert into public.pgc_full (id, tag, a) values ($1, $2, $3)', [base + n, t, 'x']);
        await sql('update public.pgc_full set a = $2 where id = $1', [base + n, 'y']);
        await sql('delete from public.pgc_full where id = $1', [base + n]);
      }
      const got = await l.until(expected.length);
      const seen = got.map((p) => {
        const row = (p.eventType === 'DELETE' ? p.old : p.new) as Row;
        return `${p.eventType}:${(row.id as number) - base}`;
      });
      expect(seen).toEqual(expected);
    } finally {
      await l.close();
    }
  });

  // [filter, matching row, non-matching row]
  const filterCases: Array<[string, Row, Row]> = [
    ['qty=eq.5', { qty: 5 }, { qty: 6 }],
    ['qty=neq.5', { qty: 6 }, { qty: 5 }],
    ['qty=lt.10', { qty: 9 }, { qty: 10 }],
    ['qty=lte.10', { qty: 10 }, { qty: 11 }],
    ['qty=gt.9', { qty: 10 }, { qty: 9 }],
    ['qty=gte.10', { qty: 10 }, { qty: 9 }],
    ['qty=in.(1,2,3)', { qty: 2 }, { qty: 4 }],
    ['title=like.hel%', { title: 'hello' }, { title: 'Hello' }],
    ['title=ilike.hel%', { title: 'HELLO' }, { title: 'shell' }],
    ['title=is.null', { title: null }, { title: 'x' }],
    ['title=match.^ab+c$', { title: 'abbc' }, { title: 'ac' }],
    ['title=imatch.^ABC', { title: 'abcdef' }, { title: 'xabc' }],
    ['title=isdistinct.x', { title: null }, { title: 'x' }],
    ['title=not.eq.x', { title: 'y' }, { title: 'x' }],
    ['title=eq."a,b"', { title: 'a,b' }, { title: 'a' }],
  ];

  it.each(filterCases)('filter %s delivers %j and not %j', async (filter, match, miss) => {
    const t = tag();
    const l = await listen(await clientFor(vsn), {
      event: 'INSERT',
      schema: 'public',
      table: 'pgc_items',
      filter: `tag=eq.${t},${filter}`,
    });
    try {
      const insert = (row: Row) =>
        sql(
          `insert into public.pgc_items (tag, ${Object.keys(row).join(', ')}) values ($1, ${Object.keys(row)
            .map((_, i) => `$${i + 2}`)
            .join(', ')})`,
          [t, ...Object.values(row)],
        );
      await insert(miss);
      await insert(match);
      const [p] = await l.until(1);
      expect(p.new).toMatchObject(match);
    } finally {
      await l.close();
    }
  });

  it('payload: columns with type names, commit_timestamp format, typed record, errors null', async () => {
    const t = tag();
    const l = await listen(await clientFor(vsn), {
      event: 'INSERT',
      schema: 'public',
      table: 'pgc_items',
      filter: `tag=eq.${t}`,
    });
    try {
      await sql(
        `insert into public.pgc_items (tag, title, qty, price, done, tags, meta, happened_at)
         values ($1, 'hi', 5, 2.5, true, '{a,b}', '{"k":1}', '2024-05-01 09:30:00+00')`,
        [t],
      );
      const [p] = await l.until(1);
      expect(p).toMatchObject({
        schema: 'public',
        table: 'pgc_items',
        eventType: 'INSERT',
        errors: null,
        old: {},
      });
      expect(p.commit_timestamp).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
      expect(p.new).toMatchObject({
        tag: t,
        title: 'hi',
        qty: 5,
        price: 2.5,
        done: true,
        tags: ['a', 'b'],
        meta: { k: 1 },
      });
      expect((p.new as Row).happened_at).toBe('2024-05-01T09:30:00+00:00');
    } finally {
      await l.close();
    }
  });

  it('old record: primary key by default, whole row with REPLICA IDENTITY FULL', async () => {
    const t = tag();
    const id = Math.floor(Math.random() * 1e9);
    const client = await clientFor(vsn);
    const items = await listen(client, {
      event: 'UPDATE',
      schema: 'public',
      table: 'pgc_items',
      filter: `tag=eq.${t}`,
    });
    const full = await listen(client, { event: 'DELETE', schema: 'public', table: 'pgc_full' });
    try {
      const { rows } = await sql('insert into public.pgc_items (tag, title) values ($1, $2) returning id', [
        t,
        'a',
      ]);
      await sql('update public.pgc_items set title = $2 where id = $1', [rows[0].id, 'b']);
      await sql('insert into public.pgc_full (id, tag, a, b) values ($1, $2, $3, $4)', [id, t, 'a0', 'b0']);
      await sql('delete from public.pgc_full where id = $1', [id]);
      const [u] = await items.until(1);
      expect(u.old).toEqual({ id: Number(rows[0].id) });
      expect(u.new).toMatchObject({ title: 'b' });
      const deletes = await full.until(1);
      expect(deletes.find((d) => (d.old as Row).id === id)?.old).toEqual({ id, tag: t, a: 'a0', b: 'b0' });
    } finally {
      await items.close();
      await full.close();
    }
  });

  it('a second user never receives the first user’s RLS-protected changes', async () => {
    const [alice, bob] = [randomUUID(), randomUUID()];
    const t = tag();
    const filter: ChangeFilter = {
      event: 'INSERT',
      schema: 'public',
      table: 'pgc_private',
      filter: `tag=eq.${t}`,
    };
    const a = await listen(await clientFor(vsn, await userToken(alice)), filter);
    const b = await listen(await clientFor(vsn, await userToken(bob)), filter);
    try {
      await sql('insert into public.pgc_private (owner, tag, note) values ($1, $2, $3)', [
        alice,
        t,
        'alice 1',
      ]);
      await sql('insert into public.pgc_private (owner, tag, note) values ($1, $2, $3)', [bob, t, 'bob 1']);
      await sql('insert into public.pgc_private (owner, tag, note) values ($1, $2, $3)', [
        alice,
        t,
        'alice 2',
      ]);
      await sql('insert into public.pgc_private (owner, tag, note) values ($1, $2, $3)', [bob, t, 'bob 2']);
      expect((await a.until(2)).map((p) => (p.new as Row).note)).toEqual(['alice 1', 'alice 2']);
      expect((await b.until(2)).map((p) => (p.new as Row).note)).toEqual(['bob 1', 'bob 2']);
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('schema wildcard and select list', async () => {
    const t = tag();
    const client = await clientFor(vsn);
    const wildcard = await listen(client, { event: 'INSERT', schema: 'pgc_other' });
    const selected = await listen(client, {
      event: 'INSERT',
      schema: 'public',
      table: 'pgc_full',
      filter: `tag=eq.${t}`,
      select: ['a'],
    });
    try {
      const id = Math.floor(Math.random() * 1e9);
      await sql('insert into pgc_other.pgc_a (id, tag) values ($1, $2)', [id, t]);
      await sql('insert into pgc_other.pgc_b (id, tag) values ($1, $2)', [id, t]);
      await sql('insert into public.pgc_full (id, tag, a, b) values ($1, $2, $3, $4)', [id, t, 'a0', 'b0']);
      const got = (await wildcard.until(2)).filter((p) => (p.new as Row).tag === t);
      expect(got.map((p) => p.table)).toEqual(['pgc_a', 'pgc_b']);
      const [p] = await selected.until(1);
      expect(p.new).toEqual({ id, a: 'a0' });
    } finally {
      await wildcard.close();
      await selected.close();
    }
  });

  it('an invalid filter is reported in the system message', async () => {
    const l = await listen(await clientFor(vsn), {
      event: '*',
      schema: 'public',
      table: 'pgc_items',
      filter: 'qty=foo.hey',
    });
    try {
      expect(l.status.status).toBe('error');
      expect(l.status.message).toBe('Error parsing `filter` params: ["foo", "hey"]');
    } finally {
      await l.close();
    }
  });
});
