/**
 * The Postgres Changes engine driven directly (no websocket): real Postgres, real logical replication.
 * Negative cases ("never delivered") are proven with a sentinel: changes are delivered in commit
 * order, so once a later sentinel change has arrived, an earlier one would have arrived before it.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPool, type Pool } from '../../supabase/local/db';
import {
  createPostgresChangesEngine,
  PgChangesError,
  type PgChangeBinding,
  type PostgresChangesEngine,
} from '../../supabase/local/realtime/postgres-changes';
import { stackInfo, withDb } from '../helpers/stack';

const EVENT_TIMEOUT_MS = 8000;
type Data = Record<string, unknown> & {
  type: string;
  record?: Record<string, unknown>;
  old_record?: Record<string, unknown>;
};
interface Received {
  ids: number[];
  data: Data;
}

let pool: Pool;
let engine: PostgresChangesEngine;

beforeAll(async () => {
  pool = createPool(stackInfo().dbUrl, 10);
  engine = createPostgresChangesEngine({ pool, dbUrl: stackInfo().dbUrl, log: () => {} });
  await engine.start();
});

afterAll(async () => {
  await engine?.stop();
  await pool?.end();
});

const tag = () => `t-${randomUUID().slice(0, 8)}`;
const userClaims = (sub: string = randomUUID()) => ({
  sub,
  role: 'authenticated',
  exp: Math.floor(Date.now() / 1000) + 3600,
});
const serviceClaims = { role: 'service_role', exp: Math.floor(Date.now() / 1000) + 3600 };

/** Subscribes and collects deliveries; `until(n)` waits for the n-th delivery. */
async function listen(
  bindings: PgChangeBinding[],
  claims: Record<string, unknown> = serviceClaims,
  eng = engine,
) {
  const received: Received[] = [];
  let wake: () => void = () => {};
  const sub = await eng.subscribe(bindings, claims, (ids, data) => {
    received.push({ ids, data: data as Data });
    wake();
  });
  const until = async (count: number, timeoutMs = EVENT_TIMEOUT_MS): Promise<Received[]> => {
    const deadline = Date.now() + timeoutMs;
    while (received.length < count) {
      const left = deadline - Date.now();
      if (left <= 0)
        throw new Error(
          `timed out waiting for ${count} deliveries, got ${received.length}: ${JSON.stringify(received)}`,
        );
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
  return { sub, received, until };
}

const sql = (text: string, params: unknown[] = []) => withDb((db) => db.query(text, params));

describe('postgres changes engine: filters', () => {
  // [filter, matching row, non-matching row]
  const cases: Array<[string, Record<string, unknown>, Record<string, unknown>]> = [
    ['qty=eq.5', { qty: 5 }, { qty: 6 }],
    ['qty=neq.5', { qty: 6 }, { qty: 5 }],
    ['qty=neq.5', { qty: 6 }, { qty: null }],
    ['qty=lt.10', { qty: 9 }, { qty: 10 }],
    ['qty=lte.10', { qty: 10 }, { qty: 11 }],
    ['qty=gt.9', { qty: 10 }, { qty: 9 }],
    ['qty=gte.10', { qty: 10 }, { qty: 9 }],
    ['qty=in.(1,2,3)', { qty: 2 }, { qty: 4 }],
    ['qty=not.in.(1,2,3)', { qty: 4 }, { qty: 2 }],
    ['title=in.("a,b",c)', { title: 'a,b' }, { title: 'a' }],
    ['title=eq."a,b"', { title: 'a,b' }, { title: 'a' }],
    ['title=like.hel%', { title: 'hello' }, { title: 'Hello' }],
    ['title=ilike.hel%', { title: 'HELLO' }, { title: 'shell' }],
    ['title=is.null', { title: null }, { title: 'x' }],
    ['title=not.is.null', { title: 'x' }, { title: null }],
    ['done=is.true', { done: true }, { done: false }],
    ['title=match.^ab+c$', { title: 'abbc' }, { title: 'ac' }],
    ['title=imatch.^ABC', { title: 'abcdef' }, { title: 'xabc' }],
    ['title=isdistinct.x', { title: null }, { title: 'x' }],
    ['qty=not.eq.5', { qty: 6 }, { qty: 5 }],
    ['qty=not.eq.5', { qty: 6 }, { qty: null }],
    ['price=gt.1.5', { price: '1.50001' }, { price: '1.50' }],
    [
      'happened_at=gt.2024-01-01T00:00:00Z',
      { happened_at: '2024-01-01T00:00:01+00' },
      { happened_at: '2024-01-01T00:30:00+01' },
    ],
    ['meta->>kind=eq.x', { meta: { kind: 'x' } }, { meta: { kind: 'y' } }],
    ['qty=gt.1,qty=lt.5', { qty: 3 }, { qty: 7 }],
  ];

  it.each(cases)('%s delivers %j and not %j', async (filter, match, miss) => {
    const t = tag();
    const binding: PgChangeBinding = {
      event: 'INSERT',
      schema: 'public',
      table: 'pgc_items',
      filter: `tag=eq.${t},${filter}`,
    };
    const { sub, until } = await listen([binding]);
    try {
      const insert = (row: Record<string, unknown>) => {
        const cols = ['tag', ...Object.keys(row)];
        const vals = [
          t,
          ...Object.values(row).map((v) => (v !== null && typeof v === 'object' ? JSON.stringify(v) : v)),
        ];
        return sql(
          `insert into public.pgc_items (${cols.join(', ')}) values (${cols.map((_, i) => `$${i + 1}`).join(', ')})`,
          vals,
        );
      };
      await insert(miss);
      await insert(match);
      const [first] = await until(1);
      expect(first.ids).toEqual([engine.bindingId(binding)]);
      for (const [k, v] of Object.entries(match)) {
        if (k === 'qty' || k === 'title' || k === 'done' || k === 'meta')
          expect(first.data.record?.[k]).toEqual(v);
      }
    } finally {
      sub.close();
    }
  });

  it.each([
    ['qty=foo.hey', 'Error parsing `filter` params: ["foo", "hey"]'],
    ['undefined', 'Error parsing `filter` params: ["undefined"]'],
    ['qty=in.1,2', 'Error parsing `filter` params: `in` filter value must be wrapped by parentheses'],
    ['nope=eq.1', 'invalid column for filter nope'],
    ['qty=eq.abc', 'invalid input syntax for type integer'],
    [
      `qty=in.(${Array.from({ length: 101 }, (_, i) => i).join(',')})`,
      'too many values for `in` filter. Maximum 100',
    ],
    ['qty=is.true', 'is true filter requires a boolean column'],
    ['qty=like.1%', 'operator like requires a text-compatible column type'],
  ])('rejects filter %s', async (filter, message) => {
    const err = await engine
      .subscribe([{ event: '*', schema: 'public', table: 'pgc_items', filter }], serviceClaims, () => {})
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PgChangesError);
    expect((err as Error).message).toContain(message);
  });

  it('rejects a filter on a column the role cannot select', async () => {
    const err = await engine
      .subscribe(
        [{ event: '*', schema: 'public', table: 'pgc_columns', filter: 'secret_note=eq.x' }],
        userClaims(),
        () => {},
      )
      .catch((e: unknown) => e);
    expect((err as Error).message).toMatch(
      /^Unable to subscribe to changes with given parameters\. An exception happened.*invalid column for filter secret_note/,
    );
  });

  it('rejects tables outside the publication and select on wildcards', async () => {
    const notPublished = await engine
      .subscribe([{ event: '*', schema: 'public', table: 'pgc_unpublished' }], serviceClaims, () => {})
      .catch((e: unknown) => e);
    expect((notPublished as Error).message).toMatch(
      /^Unable to subscribe to changes with given parameters\. Please check Realtime is enabled/,
    );
    const wildcard = await engine
      .subscribe([{ event: '*', schema: 'public', select: ['id'] }], serviceClaims, () => {})
      .catch((e: unknown) => e);
    expect((wildcard as Error).message).toBe(
      'Column selection is not supported for wildcard subscriptions. Provide an explicit schema and table name.',
    );
  });
});

describe('postgres changes engine: events and payloads', () => {
  it.each([
    ['INSERT', ['INSERT:1', 'INSERT:2']],
    ['UPDATE', ['UPDATE:1', 'UPDATE:2']],
    ['DELETE', ['DELETE:1', 'DELETE:2']],
    ['*', ['INSERT:1', 'UPDATE:1', 'DELETE:1', 'INSERT:2', 'UPDATE:2', 'DELETE:2']],
  ] as const)('event %s sees exactly %j', async (event, expected) => {
    const t = tag();
    const base = Math.floor(Math.random() * 1e9);
    const { sub, until } = await listen([
      { event, schema: 'public', table: 'pgc_full', filter: `tag=eq.${t}` },
    ]);
    try {
      for (const n of [1, 2]) {
        await sql('insert into public.pgc_full (id, tag, a) values ($1, $2, $3)', [base + n, t, 'x']);
        await sql('update public.pgc_full set a = $2 where id = $1', [base + n, 'y']);
        await sql('delete from public.pgc_full where id = $1', [base + n]);
      }
      const got = await until(expected.length);
      const seen = got.map(
        (r) => `${r.data.type}:${((r.data.record?.id ?? r.data.old_record?.id) as number) - base}`,
      );
      expect(seen).toEqual(expected);
    } finally {
      sub.close();
    }
  });

  it('shapes an INSERT like hosted: typed values, typnames, timestamp format, errors null', async () => {
    const t = tag();
    const { sub, until } = await listen([
      { event: 'INSERT', schema: 'public', table: 'pgc_items', filter: `tag=eq.${t}` },
    ]);
    try {
      await sql(
        `insert into public.pgc_items (tag, title, qty, price, done, tags, meta, happened_at, day)
         values ($1, 'hi', 5, 12.50, true, '{a,"b c"}', '{"k":[1,2]}', '2024-05-01 09:30:00.25+00', '2024-05-01')`,
        [t],
      );
      const [{ data }] = await until(1);
      expect(data).toMatchObject({ schema: 'public', table: 'pgc_items', type: 'INSERT', errors: null });
      expect(data.commit_timestamp).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
      expect(data.columns).toEqual([
        { name: 'id', type: 'int8' },
        { name: 'tag', type: 'text' },
        { name: 'title', type: 'text' },
        { name: 'qty', type: 'int4' },
        { name: 'price', type: 'numeric' },
        { name: 'done', type: 'bool' },
        { name: 'tags', type: '_text' },
        { name: 'meta', type: 'jsonb' },
        { name: 'happened_at', type: 'timestamptz' },
        { name: 'day', type: 'date' },
        { name: 'body', type: 'text' },
      ]);
      expect(data.record).toEqual({
        id: expect.any(Number),
        tag: t,
        title: 'hi',
        qty: 5,
        price: 12.5,
        done: true,
        tags: ['a', 'b c'],
        meta: { k: [1, 2] },
        happened_at: '2024-05-01T09:30:00.25+00:00',
        day: '2024-05-01',
        body: null,
      });
      expect(data).not.toHaveProperty('old_record');
    } finally {
      sub.close();
    }
  });

  it('old_record: primary key by default, whole row with REPLICA IDENTITY FULL; DELETE carries no record', async () => {
    const t = tag();
    const id = Math.floor(Math.random() * 1e9);
    const items = await listen([{ event: '*', schema: 'public', table: 'pgc_items', filter: `tag=eq.${t}` }]);
    const full = await listen([{ event: '*', schema: 'public', table: 'pgc_full', filter: `tag=eq.${t}` }]);
    try {
      const { rows } = await sql('insert into public.pgc_items (tag, title) values ($1, $2) returning id', [
        t,
        'before',
      ]);
      const itemId = Number(rows[0].id);
      await sql('update public.pgc_items set title = $2 where id = $1', [itemId, 'after']);
      await sql('insert into public.pgc_full (id, tag, a, b) values ($1, $2, $3, $4)', [id, t, 'a0', 'b0']);
      await sql('update public.pgc_full set a = $2 where id = $1', [id, 'a1']);
      await sql('delete from public.pgc_full where id = $1', [id]);
      const [, upd] = await items.until(2);
      expect(upd.data.type).toBe('UPDATE');
      expect(upd.data.old_record).toEqual({ id: itemId });
      expect(upd.data.record).toMatchObject({ id: itemId, title: 'after' });
      const [, fupd, fdel] = await full.until(3);
      expect(fupd.data.old_record).toEqual({ id, tag: t, a: 'a0', b: 'b0' });
      expect(fdel.data.type).toBe('DELETE');
      expect(fdel.data.old_record).toEqual({ id, tag: t, a: 'a1', b: 'b0' });
      expect(fdel.data).not.toHaveProperty('record');
    } finally {
      items.sub.close();
      full.sub.close();
    }
  });

  it('fills unchanged TOAST values from the old row (FULL) and leaves them out otherwise', async () => {
    const t = tag();
    const id = Math.floor(Math.random() * 1e9);
    const big = `select string_agg(md5(random()::text), '') from generate_series(1, 1000)`;
    const full = await listen([
      { event: 'UPDATE', schema: 'public', table: 'pgc_full', filter: `tag=eq.${t}` },
    ]);
    const items = await listen([
      { event: 'UPDATE', schema: 'public', table: 'pgc_items', filter: `tag=eq.${t}` },
    ]);
    try {
      await sql(`insert into public.pgc_full (id, tag, a, b) values ($1, $2, 'a', (${big}))`, [id, t]);
      await sql('update public.pgc_full set a = $2 where id = $1', [id, 'changed']);
      const { rows } = await sql(
        `insert into public.pgc_items (tag, body) values ($1, (${big})) returning id, body`,
        [t],
      );
      await sql('update public.pgc_items set title = $2 where id = $1', [rows[0].id, 'changed']);
      const [f] = await full.until(1);
      expect(f.data.record).toMatchObject({ id, a: 'changed' });
      expect(String(f.data.record?.b)).toHaveLength(32_000);
      const [i] = await items.until(1);
      expect(i.data.record).toMatchObject({ title: 'changed' });
      expect(i.data.record).not.toHaveProperty('body');
    } finally {
      full.sub.close();
      items.sub.close();
    }
  });

  it('select limits columns, record and old_record to the list plus the primary key', async () => {
    const t = tag();
    const binding: PgChangeBinding = {
      event: '*',
      schema: 'public',
      table: 'pgc_full',
      filter: `tag=eq.${t}`,
      select: ['a'],
    };
    const { sub, until } = await listen([binding]);
    const id = Math.floor(Math.random() * 1e9);
    try {
      await sql('insert into public.pgc_full (id, tag, a, b) values ($1, $2, $3, $4)', [id, t, 'a0', 'b0']);
      await sql('update public.pgc_full set b = $2 where id = $1', [id, 'b1']);
      const [ins, upd] = await until(2);
      expect(ins.data.columns).toEqual([
        { name: 'id', type: 'int4' },
        { name: 'a', type: 'text' },
      ]);
      expect(ins.data.record).toEqual({ id, a: 'a0' });
      expect(upd.data.old_record).toEqual({ id, a: 'a0' });
    } finally {
      sub.close();
    }
  });

  it('schema wildcards cover every publication table of the schema, including ones added later', async () => {
    const t = tag();
    const late = `pgc_late_${randomUUID().slice(0, 6)}`;
    const { sub, until } = await listen([{ event: 'INSERT', schema: 'pgc_other' }]);
    try {
      await sql('insert into pgc_other.pgc_a (id, tag) values ($1, $2)', [
        Math.floor(Math.random() * 1e9),
        t,
      ]);
      await sql('insert into pgc_other.pgc_b (id, tag) values ($1, $2)', [
        Math.floor(Math.random() * 1e9),
        t,
      ]);
      await sql(
        `create table pgc_other.${late} (id int primary key, tag text); grant select on pgc_other.${late} to service_role;
         alter publication supabase_realtime add table pgc_other.${late}`,
      );
      await sql(`insert into pgc_other.${late} (id, tag) values (1, $1)`, [t]);
      const got = (await until(3)).filter((r) => r.data.record?.tag === t);
      expect(got.map((r) => r.data.table)).toEqual(['pgc_a', 'pgc_b', late]);
    } finally {
      sub.close();
      await sql(`drop table if exists pgc_other.${late}`);
    }
  });
});

describe('postgres changes engine: row-level security', () => {
  it('a user never receives another user’s RLS-protected rows', async () => {
    const [alice, bob] = [randomUUID(), randomUUID()];
    const t = tag();
    const binding: PgChangeBinding = {
      event: 'INSERT',
      schema: 'public',
      table: 'pgc_private',
      filter: `tag=eq.${t}`,
    };
    const a = await listen([binding], userClaims(alice));
    const b = await listen([binding], userClaims(bob));
    try {
      await sql('insert into public.pgc_private (owner, tag, note) values ($1, $2, $3)', [
        alice,
        t,
        'for alice',
      ]);
      await sql('insert into public.pgc_private (owner, tag, note) values ($1, $2, $3)', [bob, t, 'for bob']);
      await sql('insert into public.pgc_private (owner, tag, note) values ($1, $2, $3)', [
        alice,
        t,
        'alice again',
      ]);
      const gotA = await a.until(2);
      const gotB = await b.until(1);
      expect(gotA.map((r) => r.data.record?.note)).toEqual(['for alice', 'alice again']);
      expect(gotB.map((r) => r.data.record?.note)).toEqual(['for bob']);
      expect(gotB).toHaveLength(1);
    } finally {
      a.sub.close();
      b.sub.close();
    }
  });

  it('runs one visibility check per distinct claim set, not per subscriber', async () => {
    const owner = randomUUID();
    const t = tag();
    const binding: PgChangeBinding = {
      event: 'INSERT',
      schema: 'public',
      table: 'pgc_private',
      filter: `tag=eq.${t}`,
    };
    const claims = userClaims(owner);
    const same = await Promise.all([
      listen([binding], claims),
      listen([binding], claims),
      listen([binding], claims),
    ]);
    const other = await listen([binding], userClaims());
    try {
      const before = engine.metrics().visibilityQueries;
      await sql('insert into public.pgc_private (owner, tag) values ($1, $2), ($1, $2)', [owner, t]);
      for (const s of same) expect((await s.until(2)).length).toBe(2);
      // Wait until the other subscriber's (empty) check is done too: a later sentinel row for it.
      const sentinel = await listen([
        { event: 'INSERT', schema: 'public', table: 'pgc_items', filter: `tag=eq.${t}` },
      ]);
      await sql('insert into public.pgc_items (tag) values ($1)', [t]);
      await sentinel.until(1);
      sentinel.sub.close();
      expect(engine.metrics().visibilityQueries - before).toBe(2);
      expect(other.received).toHaveLength(0);
    } finally {
      for (const s of [...same, other]) s.sub.close();
    }
  });

  it('DELETE on an RLS table reaches every subscriber with only the primary key', async () => {
    const t = tag();
    const binding: PgChangeBinding = { event: 'DELETE', schema: 'public', table: 'pgc_private' };
    const a = await listen([binding], userClaims());
    try {
      const { rows } = await sql('insert into public.pgc_private (owner, tag) values ($1, $2) returning id', [
        randomUUID(),
        t,
      ]);
      await sql('delete from public.pgc_private where id = $1', [rows[0].id]);
      const got = await a.until(1);
      expect(got[0].data.old_record).toEqual({ id: Number(rows[0].id) });
    } finally {
      a.sub.close();
    }
  });

  it('DELETE filters on an RLS table see only the primary key: no oracle on hidden columns', async () => {
    const [alice, mallory] = [randomUUID(), randomUUID()];
    const t = tag();
    const { rows } = await sql(
      `insert into public.pgc_private_full (owner, tag, dentist, starts_at)
       values ($1, $2, 'dr-x', '2030-01-01T09:00:00Z'), ($1, $2, 'dr-y', '2030-01-02T09:00:00Z') returning id`,
      [alice, t],
    );
    const [first, second] = rows.map((r) => Number(r.id));
    // Mallory may subscribe (she can SELECT the columns) but RLS hides Alice's rows from her. With the
    // full old row (REPLICA IDENTITY FULL) these filters would tell her whose row, which dentist, when.
    const probes: PgChangeBinding[] = [
      { event: 'DELETE', schema: 'public', table: 'pgc_private_full', filter: `owner=eq.${alice}` },
      { event: 'DELETE', schema: 'public', table: 'pgc_private_full', filter: 'dentist=eq.dr-x' },
      {
        event: 'DELETE',
        schema: 'public',
        table: 'pgc_private_full',
        filter: 'starts_at=lt.2030-01-01T12:00:00Z',
      },
    ];
    const byKey: PgChangeBinding = {
      event: 'DELETE',
      schema: 'public',
      table: 'pgc_private_full',
      filter: `id=in.(${first},${second})`,
    };
    const m = await listen([...probes, byKey], userClaims(mallory));
    try {
      await sql('delete from public.pgc_private_full where id = $1', [first]);
      await sql('delete from public.pgc_private_full where id = $1', [second]);
      const got = await m.until(2);
      // Only the key filter matched, for both rows alike: nothing distinguishes dr-x's 9:00 booking.
      expect(got.map((r) => r.ids)).toEqual([[engine.bindingId(byKey)], [engine.bindingId(byKey)]]);
      expect(got.map((r) => r.data.old_record)).toEqual([{ id: first }, { id: second }]);
    } finally {
      m.sub.close();
    }
  });

  it('a REVOKE committed right before a change applies to it (cached catalog views are re-checked)', async () => {
    const owner = randomUUID();
    const t = tag();
    const { until, sub } = await listen(
      [{ event: 'INSERT', schema: 'public', table: 'pgc_private_full', filter: `tag=eq.${t}` }],
      userClaims(owner),
    );
    const insert = (dentist: string) =>
      sql('insert into public.pgc_private_full (owner, tag, dentist) values ($1, $2, $3)', [
        owner,
        t,
        dentist,
      ]);
    try {
      await insert('first');
      await until(1);
      // The engine's view of the table (which columns `authenticated` may read) is now cached.
      await withDb(async (db) => {
        await db.query('begin');
        await db.query('revoke select on public.pgc_private_full from authenticated');
        await db.query(
          'grant select (id, owner, tag, starts_at) on public.pgc_private_full to authenticated',
        );
        await db.query('commit');
      });
      await insert('second');
      const got = await until(2);
      expect(got.map((r) => r.data.record?.dentist)).toEqual(['first', undefined]);
      expect(got[1].data.record).toMatchObject({ owner, tag: t });
    } finally {
      sub.close();
      await sql('grant select on public.pgc_private_full to authenticated');
    }
  });

  it('a DELETE on a table whose key the role may not read is never delivered', async () => {
    const t = tag();
    const id = Math.floor(Math.random() * 1e9);
    const sentinel: PgChangeBinding = {
      event: 'DELETE',
      schema: 'public',
      table: 'pgc_full',
      filter: `tag=eq.${t}`,
    };
    const s = await listen(
      [
        { event: 'DELETE', schema: 'public', table: 'pgc_no_grant' },
        { event: 'DELETE', schema: 'public', table: 'pgc_hidden_pk' },
        sentinel,
      ],
      userClaims(),
    );
    try {
      await sql('insert into public.pgc_no_grant (id, tag) values ($1, $2)', [id, t]);
      await sql('insert into public.pgc_hidden_pk (id, tag) values ($1, $2)', [id, t]);
      await sql('insert into public.pgc_full (id, tag) values ($1, $2)', [id, t]);
      await sql('delete from public.pgc_no_grant where id = $1', [id]);
      await sql('delete from public.pgc_hidden_pk where id = $1', [id]);
      await sql('delete from public.pgc_full where id = $1', [id]);
      // Commit order: the sentinel DELETE arriving first means the two earlier ones never will.
      const [only] = await s.until(1);
      expect(only.ids).toEqual([engine.bindingId(sentinel)]);
      expect(only.data.table).toBe('pgc_full');
    } finally {
      s.sub.close();
    }
  });

  it('hides columns the role may not select and reports 401/400/413 errors', async () => {
    const t = tag();
    const user = userClaims();
    const cols = await listen([{ event: 'INSERT', schema: 'public', table: 'pgc_columns' }], user);
    const hidden = await listen([{ event: 'INSERT', schema: 'public', table: 'pgc_hidden_pk' }], user);
    const nopk = await listen([{ event: 'INSERT', schema: 'public', table: 'pgc_nopk' }], user);
    const large = await listen([
      { event: 'INSERT', schema: 'public', table: 'pgc_items', filter: `tag=eq.${t}` },
    ]);
    try {
      const id = Math.floor(Math.random() * 1e9);
      await sql(
        'insert into public.pgc_columns (id, tag, public_note, secret_note) values ($1, $2, $3, $4)',
        [id, t, 'pub', 'secret'],
      );
      await sql('insert into public.pgc_hidden_pk (id, tag) values ($1, $2)', [id, t]);
      await sql('insert into public.pgc_nopk (tag, val) values ($1, 1)', [t]);
      await sql(
        `insert into public.pgc_items (tag, title, body) values ($1, 'small', repeat('x', 1100000))`,
        [t],
      );

      const [c] = await cols.until(1);
      expect(c.data.columns).toEqual([
        { name: 'id', type: 'int4' },
        { name: 'tag', type: 'text' },
        { name: 'public_note', type: 'text' },
      ]);
      expect(c.data.record).toEqual({ id, tag: t, public_note: 'pub' });

      const [h] = await hidden.until(1);
      expect(h.data).toMatchObject({
        type: 'INSERT',
        table: 'pgc_hidden_pk',
        errors: ['Error 401: Unauthorized'],
        columns: [],
        record: {},
      });

      const [n] = await nopk.until(1);
      expect(n.data.errors).toEqual(['Error 400: Bad Request, no primary key']);

      const [l] = await large.until(1);
      expect(l.data.errors).toEqual(['Error 413: Payload Too Large']);
      expect(l.data.record).toMatchObject({ tag: t, title: 'small' });
      expect(l.data.record).not.toHaveProperty('body');
    } finally {
      for (const s of [cols, hidden, nopk, large]) s.sub.close();
    }
  });

  it('a failing visibility check errors only its own claim group', async () => {
    const t = tag();
    const owner = randomUUID();
    const binding: PgChangeBinding = {
      event: 'INSERT',
      schema: 'public',
      table: 'pgc_private',
      filter: `tag=eq.${t}`,
    };
    // auth.uid() casts `sub` to uuid: this subscriber's policy evaluation raises.
    const broken = await listen([binding], { role: 'authenticated', sub: 'not-a-uuid' });
    const fine = await listen([binding], userClaims(owner));
    try {
      await sql('insert into public.pgc_private (owner, tag, note) values ($1, $2, $3)', [owner, t, 'mine']);
      const [ok] = await fine.until(1);
      expect(ok.data.record?.note).toBe('mine');
      const [bad] = await broken.until(1);
      expect(bad.data.errors).toEqual(['Error 500: Internal Server Error, RLS policy evaluation failed']);
      expect(bad.data.record).toEqual({});
    } finally {
      broken.sub.close();
      fine.sub.close();
    }
  });

  it('claim sets checked together each see only their own claims (nothing carries over)', async () => {
    const owner = randomUUID();
    const t = tag();
    const bindings: PgChangeBinding[] = [
      { event: 'INSERT', schema: 'public', table: 'pgc_private', filter: `tag=eq.${t}` },
      { event: 'INSERT', schema: 'public', table: 'pgc_items', filter: `tag=eq.${t}` },
    ];
    // Checked right after the owner's claim set in the same round trip: had the owner's
    // request.jwt.claim.sub survived into this check, auth.uid() would match and leak the row.
    const withSub = await listen(bindings, userClaims(owner));
    const noSub = await listen(bindings, {
      role: 'authenticated',
      exp: Math.floor(Date.now() / 1000) + 3600,
    });
    try {
      await sql('insert into public.pgc_private (owner, tag, note) values ($1, $2, $3)', [
        owner,
        t,
        'private',
      ]);
      await sql('insert into public.pgc_items (tag) values ($1)', [t]);
      expect((await withSub.until(2)).map((r) => r.data.table)).toEqual(['pgc_private', 'pgc_items']);
      // Delivery is in commit order, so the later pgc_items row arriving first proves the private one never will.
      expect((await noSub.until(1)).map((r) => r.data.table)).toEqual(['pgc_items']);
    } finally {
      withSub.sub.close();
      noSub.sub.close();
    }
  });

  it('transactions committed back to back reach each user in commit order with only their rows', async () => {
    const users = [randomUUID(), randomUUID(), randomUUID()];
    const t = tag();
    const binding: PgChangeBinding = {
      event: 'INSERT',
      schema: 'public',
      table: 'pgc_private',
      filter: `tag=eq.${t}`,
    };
    const subs = await Promise.all(users.map((u) => listen([binding], userClaims(u))));
    const perUser = 10;
    try {
      // One transaction per row, sent without waiting for deliveries, so later commits queue up
      // behind the running visibility check and are checked together.
      await withDb(async (db) => {
        for (let i = 0; i < perUser * users.length; i++)
          await db.query('insert into public.pgc_private (owner, tag, note) values ($1, $2, $3)', [
            users[i % users.length],
            t,
            `n${i}`,
          ]);
      });
      for (const [u, s] of subs.entries()) {
        const got = await s.until(perUser);
        const expected = Array.from({ length: perUser }, (_, k) => `n${k * users.length + u}`);
        expect(got.map((r) => r.data.record?.note)).toEqual(expected);
      }
    } finally {
      for (const s of subs) s.sub.close();
    }
  });

  it('updateClaims switches the identity used for later changes', async () => {
    const [alice, bob] = [randomUUID(), randomUUID()];
    const t = tag();
    const { sub, until } = await listen(
      [{ event: 'INSERT', schema: 'public', table: 'pgc_private', filter: `tag=eq.${t}` }],
      userClaims(alice),
    );
    try {
      await sql('insert into public.pgc_private (owner, tag, note) values ($1, $2, $3)', [alice, t, 'a1']);
      await until(1);
      await sub.updateClaims(userClaims(bob));
      await sql('insert into public.pgc_private (owner, tag, note) values ($1, $2, $3)', [alice, t, 'a2']);
      await sql('insert into public.pgc_private (owner, tag, note) values ($1, $2, $3)', [bob, t, 'b1']);
      const got = await until(2);
      expect(got.map((r) => r.data.record?.note)).toEqual(['a1', 'b1']);
    } finally {
      sub.close();
    }
  });
});

describe('postgres changes engine: slot lifecycle', () => {
  const ownSlots = () =>
    sql(
      `select slot_name, temporary, active_pid from pg_replication_slots where slot_name like 'realtime_pgc_%'`,
    ).then((r) => r.rows);

  it('owns a temporary slot, streams only new changes, and drops the slot on stop', async () => {
    const before = new Set((await ownSlots()).map((s) => s.slot_name as string));
    const t = tag();
    await sql('insert into public.pgc_items (tag, title) values ($1, $2)', [t, 'before start']);
    const local = createPostgresChangesEngine({ pool, dbUrl: stackInfo().dbUrl, log: () => {} });
    await local.start();
    const mine = (await ownSlots()).filter((s) => !before.has(s.slot_name));
    expect(mine).toHaveLength(1);
    expect(mine[0].temporary).toBe(true);
    const l = await listen(
      [{ event: 'INSERT', schema: 'public', table: 'pgc_items', filter: `tag=eq.${t}` }],
      serviceClaims,
      local,
    );
    await sql('insert into public.pgc_items (tag, title) values ($1, $2)', [t, 'after start']);
    const got = await l.until(1);
    expect(got.map((r) => r.data.record?.title)).toEqual(['after start']);
    await local.stop();
    const after = (await ownSlots()).map((s) => s.slot_name);
    expect(after).not.toContain(mine[0].slot_name);
  });

  it('reconnects with a fresh slot after the replication connection is killed', async () => {
    const before = new Set((await ownSlots()).map((s) => s.slot_name as string));
    const local = createPostgresChangesEngine({ pool, dbUrl: stackInfo().dbUrl, log: () => {} });
    await local.start();
    try {
      const [slot] = (await ownSlots()).filter((s) => !before.has(s.slot_name));
      const t = tag();
      const l = await listen(
        [{ event: 'INSERT', schema: 'public', table: 'pgc_items', filter: `tag=eq.${t}` }],
        serviceClaims,
        local,
      );
      await sql('select pg_terminate_backend($1)', [slot.active_pid]);
      // Changes during the gap are lost (as on hosted); keep writing until one arrives via the new slot.
      const deadline = Date.now() + EVENT_TIMEOUT_MS;
      while (!l.received.length && Date.now() < deadline) {
        await sql('insert into public.pgc_items (tag, title) values ($1, $2)', [t, 'after reconnect']);
        await l.until(1, 300).catch(() => undefined);
      }
      expect(l.received[0]?.data.record?.title).toBe('after reconnect');
      expect(local.metrics().reconnects).toBeGreaterThanOrEqual(1);
      const slots = (await ownSlots()).filter((s) => !before.has(s.slot_name));
      expect(slots.map((s) => s.slot_name)).not.toContain(slot.slot_name);
    } finally {
      await local.stop();
    }
  });
});
