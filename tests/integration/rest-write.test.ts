import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { anonClient, withDb } from '../helpers/stack';
import { restFetch } from './rest-helpers';

const db = anonClient();
const sku = () => `sku-${randomUUID().slice(0, 8)}`;

async function rowBySku(s: string) {
  return withDb(
    async (c) =>
      (await c.query('select name, qty, price::text, meta, labels from rest_items where sku = $1', [s])).rows,
  );
}

describe('REST writes: insert', () => {
  it('inserts one object with return=minimal → 201, no body', async () => {
    const s = sku();
    const { data, error, status } = await db.from('rest_items').insert({ sku: s, name: 'one', qty: 2 });
    expect(error).toBeNull();
    expect(status).toBe(201);
    expect(data).toBeNull();
    expect(await rowBySku(s)).toEqual([{ name: 'one', qty: 2, price: null, meta: null, labels: null }]);
  });

  it('inserts and returns the representation shaped by select', async () => {
    const s = sku();
    const { data, error, status } = await db
      .from('rest_items')
      .insert({ sku: s, name: 'rep', price: 9.5, meta: { a: [1, 2] }, labels: ['x', 'y'] })
      .select('sku,name,price,meta,labels');
    expect(error).toBeNull();
    expect(status).toBe(201);
    expect(data).toEqual([{ sku: s, name: 'rep', price: 9.5, meta: { a: [1, 2] }, labels: ['x', 'y'] }]);
  });

  it('single object: omitted keys take column defaults', async () => {
    const s = sku();
    const { data } = await db.from('rest_items').insert({ sku: s }).select('name,qty').single();
    expect(data).toEqual({ name: 'unnamed', qty: 0 });
  });

  it('array with columns=: missing keys become NULL', async () => {
    const [a, b] = [sku(), sku()];
    const { error } = await db.from('rest_items').insert([
      { sku: a, name: 'a', price: 1 },
      { sku: b, name: 'b' },
    ]);
    expect(error).toBeNull();
    expect((await rowBySku(b))[0].price).toBeNull();
  });

  it('array + missing=default (defaultToNull:false): missing keys take defaults', async () => {
    const [a, b] = [sku(), sku()];
    const { data, error } = await db
      .from('rest_items')
      .insert([{ sku: a, name: 'named', qty: 5 }, { sku: b }], { defaultToNull: false })
      .select('sku,name,qty')
      .order('sku');
    expect(error).toBeNull();
    expect(data).toEqual(
      [
        { sku: a, name: 'named', qty: 5 },
        { sku: b, name: 'unnamed', qty: 0 },
      ].sort((x, y) => x.sku.localeCompare(y.sku)),
    );
  });

  it('empty array inserts nothing', async () => {
    const { data, error, status } = await db.from('rest_items').insert([]).select();
    expect(error).toBeNull();
    expect(status).toBe(201);
    expect(data).toEqual([]);
  });

  it('single() on insert returns the object', async () => {
    const s = sku();
    const { data } = await db.from('rest_items').insert({ sku: s, name: 'solo' }).select('name').single();
    expect(data).toEqual({ name: 'solo' });
  });

  it('representation with an embed', async () => {
    const { data, error } = await db
      .from('rest_roles')
      .insert({ film_id: 4, actor_id: 1, character: 'Herself' })
      .select('character,rest_films(title),rest_actors(name)')
      .single();
    expect(error).toBeNull();
    expect(data).toEqual({
      character: 'Herself',
      rest_films: { title: 'Faces Places' },
      rest_actors: { name: 'Corinne Marchand' },
    });
    await withDb((c) => c.query('delete from rest_roles where film_id = 4 and actor_id = 1'));
  });

  it('count=exact on insert → Content-Range */n', async () => {
    const r = await restFetch('rest_items?columns="sku"', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Prefer: 'count=exact' },
      body: JSON.stringify([{ sku: sku() }, { sku: sku() }]),
    });
    expect(r.status).toBe(201);
    expect(r.headers.get('content-range')).toBe('*/2');
    expect(r.headers.get('preference-applied')).toMatch(/count=exact/);
  });

  it('return=headers-only → Location of the new row', async () => {
    const s = sku();
    const r = await restFetch('rest_items', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Prefer: 'return=headers-only' },
      body: JSON.stringify({ sku: s }),
    });
    expect(r.status).toBe(201);
    expect(r.text).toBe('');
    const id = await withDb(
      async (c) => (await c.query('select id from rest_items where sku = $1', [s])).rows[0].id,
    );
    expect(r.headers.get('location')).toBe(`/rest_items?id=eq.${id}`);
    expect(r.headers.get('preference-applied')).toBe('return=headers-only');
  });

  it('Preference-Applied echoes return=representation', async () => {
    const r = await restFetch('rest_items', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Prefer: 'return=representation' },
      body: JSON.stringify({ sku: sku() }),
    });
    expect(r.headers.get('preference-applied')).toBe('return=representation');
  });

  it('unknown column → 400 PGRST204', async () => {
    const { error, status } = await db.from('rest_items').insert({ sku: sku(), nope: 1 });
    expect(status).toBe(400);
    expect(error).toEqual({
      code: 'PGRST204',
      details: null,
      hint: null,
      message: "Could not find the 'nope' column of 'rest_items' in the schema cache",
    });
  });

  it('unique violation → 409 23505', async () => {
    const s = sku();
    await db.from('rest_items').insert({ sku: s });
    const { error, status } = await db.from('rest_items').insert({ sku: s });
    expect(status).toBe(409);
    expect(error).toMatchObject({ code: '23505', details: `Key (sku)=(${s}) already exists.`, hint: null });
  });

  it('foreign key violation → 409 23503', async () => {
    const { error, status } = await db.from('rest_films').insert({ title: 'x', director_id: 999999 });
    expect(status).toBe(409);
    expect(error?.code).toBe('23503');
  });

  it('not-null violation → 400 23502', async () => {
    const { error, status } = await db.from('rest_films').insert({ title: null });
    expect(status).toBe(400);
    expect(error?.code).toBe('23502');
  });

  it('bad value for the column type → 400 22P02', async () => {
    const { error, status } = await db.from('rest_items').insert({ sku: sku(), qty: 'many' });
    expect(status).toBe(400);
    expect(error?.code).toBe('22P02');
  });

  it('tx=rollback leaves nothing behind', async () => {
    const s = sku();
    const { data, error } = await db.from('rest_items').insert({ sku: s }).select('sku').rollback();
    expect(error).toBeNull();
    expect(data).toEqual([{ sku: s }]);
    expect(await rowBySku(s)).toEqual([]);
  });
});

describe('REST writes: upsert', () => {
  it('merge-duplicates updates the existing row (on_conflict)', async () => {
    const s = sku();
    await db.from('rest_items').insert({ sku: s, name: 'before', qty: 1 });
    const { data, error, status } = await db
      .from('rest_items')
      .upsert({ sku: s, name: 'after' }, { onConflict: 'sku' })
      .select('sku,name,qty');
    expect(error).toBeNull();
    expect(status).toBe(201);
    expect(data).toEqual([{ sku: s, name: 'after', qty: 1 }]);
  });

  it('ignore-duplicates keeps the existing row', async () => {
    const s = sku();
    await db.from('rest_items').insert({ sku: s, name: 'kept' });
    const { data, error } = await db
      .from('rest_items')
      .upsert([{ sku: s, name: 'ignored' }], { onConflict: 'sku', ignoreDuplicates: true })
      .select('name');
    expect(error).toBeNull();
    expect(data).toEqual([]);
    expect((await rowBySku(s))[0].name).toBe('kept');
  });

  it('merges on the primary key by default', async () => {
    const { data: created } = await db
      .from('rest_items')
      .insert({ sku: sku(), name: 'pk' })
      .select('id')
      .single();
    const { data, error } = await db
      .from('rest_items')
      .upsert({ id: created!.id, name: 'pk2' })
      .select('id,name');
    expect(error).toBeNull();
    expect(data).toEqual([{ id: created!.id, name: 'pk2' }]);
  });

  it('Preference-Applied includes the resolution', async () => {
    const r = await restFetch('rest_items?on_conflict=sku', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Prefer: 'resolution=merge-duplicates' },
      body: JSON.stringify({ sku: sku() }),
    });
    expect(r.status).toBe(201);
    expect(r.headers.get('preference-applied')).toBe('resolution=merge-duplicates');
  });
});

describe('REST writes: update and delete', () => {
  it('PATCH with filters → 204, then with representation → 200', async () => {
    const s = sku();
    await db.from('rest_items').insert({ sku: s, qty: 1 });
    const first = await db.from('rest_items').update({ qty: 7 }).eq('sku', s);
    expect(first.status).toBe(204);
    expect(first.error).toBeNull();
    const { data, status } = await db
      .from('rest_items')
      .update({ name: 'renamed' })
      .eq('sku', s)
      .select('name,qty');
    expect(status).toBe(200);
    expect(data).toEqual([{ name: 'renamed', qty: 7 }]);
  });

  it('the representation is not re-filtered by the changed column', async () => {
    const s = sku();
    await db.from('rest_items').insert({ sku: s, qty: 1 });
    const { data } = await db.from('rest_items').update({ qty: 2 }).eq('sku', s).eq('qty', 1).select('qty');
    expect(data).toEqual([{ qty: 2 }]);
  });

  it('update count → Content-Range 0-(n-1)/n', async () => {
    const s = sku();
    await db.from('rest_items').insert([{ sku: s }, { sku: `${s}-b` }]);
    const r = await restFetch(`rest_items?sku=like.${s}*`, {
      method: 'PATCH',
      headers: { 'Content-Type': 'application/json', Prefer: 'count=exact' },
      body: JSON.stringify({ qty: 3 }),
    });
    expect(r.status).toBe(204);
    expect(r.headers.get('content-range')).toBe('0-1/2');
  });

  it('update unknown column → 400 PGRST204', async () => {
    const { error, status } = await db.from('rest_items').update({ bogus: 1 }).eq('id', -1);
    expect(status).toBe(400);
    expect(error?.code).toBe('PGRST204');
  });

  it('DELETE → 204; with representation returns the deleted rows', async () => {
    const [a, b] = [sku(), sku()];
    await db.from('rest_items').insert([{ sku: a }, { sku: b }]);
    const first = await db.from('rest_items').delete().eq('sku', a);
    expect(first.status).toBe(204);
    const { data, status } = await db.from('rest_items').delete().eq('sku', b).select('sku');
    expect(status).toBe(200);
    expect(data).toEqual([{ sku: b }]);
    expect(await rowBySku(a)).toEqual([]);
  });

  it('delete count → Content-Range */n', async () => {
    const s = sku();
    await db.from('rest_items').insert([{ sku: s }]);
    const { count, error } = await db.from('rest_items').delete({ count: 'exact' }).eq('sku', s);
    expect(error).toBeNull();
    expect(count).toBe(1);
  });

  it('maxAffected with handling=strict rolls back and answers 400 PGRST124', async () => {
    const s = sku();
    await db.from('rest_items').insert([{ sku: s }, { sku: `${s}-2` }]);
    // The client's types gate maxAffected() on PostgREST 13; the wire format is what matters here.
    const builder = db.from('rest_items').update({ qty: 99 }).like('sku', `${s}*`) as unknown as {
      maxAffected(n: number): PromiseLike<{ error: { code: string } | null; status: number }>;
    };
    const { error, status } = await builder.maxAffected(1);
    expect(status).toBe(400);
    expect(error?.code).toBe('PGRST124');
    expect((await rowBySku(s))[0].qty).toBe(0);
  });

  it('single() on an update touching two rows → 406 and nothing changes', async () => {
    const s = sku();
    await db.from('rest_items').insert([{ sku: s }, { sku: `${s}-2` }]);
    const { error, status } = await db
      .from('rest_items')
      .update({ qty: 50 })
      .like('sku', `${s}*`)
      .select()
      .single();
    expect(status).toBe(406);
    expect(error?.code).toBe('PGRST116');
    expect((await rowBySku(s))[0].qty).toBe(0);
  });
});

describe('REST writes: hostile values are data, never SQL', () => {
  it.each([
    ["it's"],
    ['"; drop table rest_items; --'],
    ["'); delete from rest_items; --"],
    ['back\\slash \\" \\\\'],
    ['ünïcødé ✓ 🦷 中文'],
    ['$1 $2 ::text'],
    ['null'],
    ['line\nbreak\ttab'],
  ])('round-trips %j through insert, filter and update', async (value) => {
    const s = sku();
    const ins = await db
      .from('rest_items')
      .insert({ sku: s, name: value, meta: { v: value } })
      .select('name,meta')
      .single();
    expect(ins.error).toBeNull();
    expect(ins.data).toEqual({ name: value, meta: { v: value } });
    const byEq = await db.from('rest_items').select('sku').eq('name', value).eq('sku', s);
    expect(byEq.data).toEqual([{ sku: s }]);
    const byIn = await db.from('rest_items').select('sku').in('name', [value, 'other']).eq('sku', s);
    expect(byIn.data).toEqual([{ sku: s }]);
    const byJson = await db.from('rest_items').select('sku').eq('meta->>v', value).eq('sku', s);
    expect(byJson.data).toEqual([{ sku: s }]);
    const upd = await db
      .from('rest_items')
      .update({ name: `${value}!` })
      .eq('sku', s)
      .select('name')
      .single();
    expect(upd.data).toEqual({ name: `${value}!` });
    const tableStillThere = await withDb((c) =>
      c.query("select to_regclass('public.rest_items') is not null as ok"),
    );
    expect(tableStillThere.rows[0].ok).toBe(true);
  });

  it('writes through hostile table and column names', async () => {
    const { data, error } = await db
      .from('rest_we"ird; table')
      .insert({ id: 10, 'co"l; drop': "'; drop", 'ünïcødé name': 'ü' })
      .select()
      .single();
    expect(error).toBeNull();
    expect(data).toEqual({ id: 10, 'co"l; drop': "'; drop", 'ünïcødé name': 'ü' });
    const del = await db.from('rest_we"ird; table').delete().eq('co"l; drop', "'; drop").select('id');
    expect(del.data).toEqual([{ id: 10 }]);
  });
});
