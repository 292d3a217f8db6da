import { describe, expect, it } from 'vitest';
import { anonClient, serviceClient } from '../helpers/stack';
import { restFetch } from './rest-helpers';

const db = anonClient();

describe('REST reads: columns', () => {
  it('selects *, columns, aliases and casts', async () => {
    const { data, error } = await db
      .from('rest_films')
      .select('id,name:title,year::text,rating')
      .eq('id', 2)
      .single();
    expect(error).toBeNull();
    expect(data).toEqual({ id: 2, name: 'Rashomon', year: '1950', rating: 8.2 });
  });

  it('defaults to every column', async () => {
    const { data } = await db.from('rest_directors').select().eq('id', 1);
    expect(data).toEqual([{ id: 1, name: 'Agnès Varda' }]);
  });

  it('reads JSON paths with -> and ->> and array indexes', async () => {
    const { data, error } = await db
      .from('rest_films')
      .select('id,data->meta->runtime,lang:data->>lang,first:data->cast->0')
      .eq('id', 1)
      .single();
    expect(error).toBeNull();
    expect(data).toEqual({ id: 1, runtime: 90, lang: 'fr', first: 'Corinne' });
  });

  it('reads a view', async () => {
    const { data } = await db.from('rest_recent_films').select('title').order('id');
    expect(data).toEqual([{ title: 'Faces Places' }]);
  });

  it('reads tables and columns with hostile names', async () => {
    const { data, error } = await db
      .from('rest_we"ird; table')
      .select('id,"co""l; drop","ünïcødé name"')
      .order('id');
    expect(error).toBeNull();
    expect(data).toEqual([
      { id: 1, 'co"l; drop': 'x"y', 'ünïcødé name': 'é' },
      { id: 2, 'co"l; drop': 'plain', 'ünïcødé name': 'ø' },
    ]);
  });

  it('aggregates with count() and col.sum()', async () => {
    const { data, error } = await db
      .from('rest_films')
      .select('director_id,count(),rating.max()')
      .not('director_id', 'is', null)
      .order('director_id');
    expect(error).toBeNull();
    expect(data).toEqual([
      { director_id: 1, count: 2, max: 8.0 },
      { director_id: 2, count: 2, max: 8.3 },
    ]);
  });
});

describe('REST reads: embedding', () => {
  it.each([
    [
      'many-to-one → object',
      'rest_films',
      'title,rest_directors(name)',
      1,
      { title: 'Cléo from 5 to 7', rest_directors: { name: 'Agnès Varda' } },
    ],
    [
      'many-to-one null → null',
      'rest_films',
      'title,rest_directors(name)',
      5,
      { title: 'Untitled', rest_directors: null },
    ],
    [
      'one-to-many → array',
      'rest_directors',
      'name,rest_films(id)',
      2,
      { name: 'Akira Kurosawa', rest_films: [{ id: 2 }, { id: 3 }] },
    ],
    [
      'one-to-many empty → []',
      'rest_directors',
      'name,rest_films(id)',
      3,
      { name: 'Nobody', rest_films: [] },
    ],
    [
      'one-to-one → object',
      'rest_films',
      'title,rest_film_details(budget)',
      2,
      { title: 'Rashomon', rest_film_details: { budget: 250000 } },
    ],
    [
      'one-to-one reverse → object',
      'rest_film_details',
      'budget,rest_films(title)',
      1,
      { budget: 64000, rest_films: { title: 'Cléo from 5 to 7' } },
    ],
    [
      'many-to-many via junction',
      'rest_films',
      'title,rest_actors(name)',
      2,
      { title: 'Rashomon', rest_actors: [{ name: 'Toshiro Mifune' }, { name: 'Takashi Shimura' }] },
    ],
    [
      'aliased embed',
      'rest_films',
      'title,director:rest_directors(name)',
      3,
      { title: 'Ikiru', director: { name: 'Akira Kurosawa' } },
    ],
    [
      'embed by FK column',
      'rest_films',
      'title,director_id(name)',
      3,
      { title: 'Ikiru', director_id: { name: 'Akira Kurosawa' } },
    ],
    [
      'nested embeds',
      'rest_directors',
      'name,rest_films(title,rest_roles(character,rest_actors(name)))',
      1,
      {
        name: 'Agnès Varda',
        rest_films: [
          {
            title: 'Cléo from 5 to 7',
            rest_roles: [{ character: 'Cléo', rest_actors: { name: 'Corinne Marchand' } }],
          },
          { title: 'Faces Places', rest_roles: [] },
        ],
      },
    ],
    [
      'hint by constraint name',
      'rest_people',
      'name,mentor:rest_people!rest_people_mentor_fkey(name)',
      3,
      { name: 'Cy', mentor: { name: 'Ben' } },
    ],
    [
      'hint by column',
      'rest_people',
      'name,friend:rest_people!best_friend_id(name)',
      2,
      { name: 'Ben', friend: { name: 'Ann' } },
    ],
    [
      'spread to-one',
      'rest_films',
      'title,...rest_directors(director:name)',
      4,
      { title: 'Faces Places', director: 'Agnès Varda' },
    ],
    [
      'view embeds through its base table keys',
      'rest_recent_films',
      'title,rest_directors(name)',
      4,
      { title: 'Faces Places', rest_directors: { name: 'Agnès Varda' } },
    ],
  ])('%s', async (_label, table, select, id, expected) => {
    const key = table === 'rest_film_details' ? 'film_id' : 'id';
    const { data, error } = await db.from(table).select(select).eq(key, id).single();
    expect(error).toBeNull();
    expect(data).toEqual(expected);
  });

  it('filters, orders and limits inside an embed', async () => {
    const { data } = await db
      .from('rest_directors')
      .select('id,rest_films(title,year)')
      .in('id', [1, 2])
      .gt('rest_films.year', 1951)
      .order('year', { referencedTable: 'rest_films', ascending: false })
      .limit(1, { referencedTable: 'rest_films' })
      .order('id');
    expect(data).toEqual([
      { id: 1, rest_films: [{ title: 'Faces Places', year: 2017 }] },
      { id: 2, rest_films: [{ title: 'Ikiru', year: 1952 }] },
    ]);
  });

  it('or= inside an embed', async () => {
    const { data } = await db
      .from('rest_directors')
      .select('id,rest_films(id)')
      .eq('id', 2)
      .or('id.eq.3,year.lt.1900', { referencedTable: 'rest_films' });
    expect(data).toEqual([{ id: 2, rest_films: [{ id: 3 }] }]);
  });

  it('!inner keeps only parents with matching children', async () => {
    const { data } = await db
      .from('rest_directors')
      .select('id,rest_films!inner(id)')
      .eq('rest_films.year', 1950);
    expect(data).toEqual([{ id: 2, rest_films: [{ id: 2 }] }]);
  });

  it('!left keeps every parent', async () => {
    const { data } = await db
      .from('rest_directors')
      .select('id,rest_films!left(id)')
      .eq('rest_films.year', 1950)
      .order('id');
    expect(data?.map((d) => d.rest_films.length)).toEqual([0, 1, 0]);
  });

  it.each([
    ['is.null', 'is', null, [3]],
    ['not.is.null', 'not', null, [1, 2]],
  ])('embed=%s filters parents by child existence', async (_l, kind, _v, ids) => {
    const q = db.from('rest_directors').select('id,rest_films(id)').order('id');
    const { data, error } =
      kind === 'is' ? await q.is('rest_films', null) : await q.not('rest_films', 'is', null);
    expect(error).toBeNull();
    expect(data?.map((d) => d.id)).toEqual(ids);
  });

  it('orders parents by a to-one embed column', async () => {
    const { data, error } = await db
      .from('rest_films')
      .select('id,rest_directors(name)')
      .in('id', [1, 2, 3])
      .order('rest_directors(name)', { ascending: false })
      .order('id');
    expect(error).toBeNull();
    expect(data?.map((d) => d.id)).toEqual([2, 3, 1]);
  });

  it('empty embed filters without returning the embed', async () => {
    const { data } = await db
      .from('rest_films')
      .select('id,rest_directors!inner()')
      .eq('rest_directors.name', 'Agnès Varda')
      .order('id');
    expect(data).toEqual([{ id: 1 }, { id: 4 }]);
  });

  it('ambiguous embed → 300 PGRST201 with the candidates', async () => {
    const { error, status } = await db.from('rest_people').select('name,rest_people(name)');
    expect(status).toBe(300);
    expect(error).toMatchObject({
      code: 'PGRST201',
      message:
        "Could not embed because more than one relationship was found for 'rest_people' and 'rest_people'",
    });
    expect(Array.isArray(error?.details)).toBe(true);
    expect(error?.hint).toMatch(/rest_people!rest_people_mentor_fkey/);
  });

  it('no relationship → 400 PGRST200', async () => {
    const { error, status } = await db.from('rest_numbers').select('n,rest_films(id)');
    expect(status).toBe(400);
    expect(error).toEqual({
      code: 'PGRST200',
      details:
        "Searched for a foreign key relationship between 'rest_numbers' and 'rest_films' in the schema 'public', but no matches were found.",
      hint: null,
      message: "Could not find a relationship between 'rest_numbers' and 'rest_films' in the schema cache",
    });
  });
});

describe('REST reads: filters', () => {
  const ids = async (
    build: (q: ReturnType<typeof base>) => PromiseLike<{ data: { id: number }[] | null; error: unknown }>,
  ) => {
    const { data, error } = await build(base());
    expect(error).toBeNull();
    return data?.map((r) => r.id);
  };
  const base = () => db.from('rest_films').select('id').order('id');

  it.each<
    [
      string,
      (q: ReturnType<typeof base>) => PromiseLike<{ data: { id: number }[] | null; error: unknown }>,
      number[],
    ]
  >([
    ['eq', (q) => q.eq('year', 1950), [2]],
    ['neq', (q) => q.neq('director_id', 2), [1, 4]],
    ['gt', (q) => q.gt('year', 1952), [1, 4]],
    ['gte', (q) => q.gte('year', 1952), [1, 3, 4]],
    ['lt', (q) => q.lt('rating', 8.1), [1, 4]],
    ['lte', (q) => q.lte('rating', 8.2), [1, 2, 4]],
    ['like with *', (q) => q.like('title', '*ace*'), [4]],
    ['ilike', (q) => q.ilike('title', 'RASH%'), [2]],
    ['likeAnyOf', (q) => q.likeAnyOf('title', ['Ik*', 'Ra*']), [2, 3]],
    ['likeAllOf', (q) => q.likeAllOf('title', ['%a%', '%e%']), [4]],
    ['ilikeAnyOf', (q) => q.ilikeAnyOf('title', ['ik%', 'cl%']), [1, 3]],
    ['match (regex)', (q) => q.filter('title', 'match', '^[IR]'), [2, 3]],
    ['imatch', (q) => q.filter('title', 'imatch', '^ikiru$'), [3]],
    ['is null', (q) => q.is('year', null), [5]],
    ['not is null', (q) => q.not('year', 'is', null), [1, 2, 3, 4]],
    ['isDistinct', (q) => q.isDistinct('director_id', 1), [2, 3, 5]],
    ['in', (q) => q.in('id', [1, 3, 99]), [1, 3]],
    ['in with quoted values', (q) => q.in('title', ['Rashomon', 'Cléo from 5 to 7', 'a,b(c)']), [1, 2]],
    ['not in', (q) => q.not('id', 'in', '(1,2,3)'), [4, 5]],
    ['in empty', (q) => q.in('id', []), []],
    ['contains array', (q) => q.contains('tags', ['drama', 'mystery']), [2]],
    ['containedBy array', (q) => q.containedBy('tags', ['drama', 'paris', 'x']), [1, 3, 5]],
    ['overlaps array', (q) => q.overlaps('tags', ['paris', 'documentary']), [1, 4]],
    ['contains jsonb', (q) => q.contains('data', { lang: 'ja', meta: { runtime: 88 } }), [2]],
    ['range contains element', (q) => q.contains('period', '[1952,1952]'), [3]],
    ['rangeLt (sl)', (q) => q.rangeLt('period', '[1955,1960)'), [2, 3]],
    ['rangeGt (sr)', (q) => q.rangeGt('period', '[1955,1960)'), [1, 4]],
    ['rangeGte (nxl)', (q) => q.rangeGte('period', '[1952,1960)'), [1, 3, 4]],
    ['rangeLte (nxr)', (q) => q.rangeLte('period', '[1940,1953)'), [2, 3]],
    ['rangeAdjacent', (q) => q.rangeAdjacent('period', '[1951,1952)'), [2, 3]],
    ['overlaps range', (q) => q.overlaps('period', '[1950,1952]'), [2, 3]],
    [
      'textSearch plain',
      (q) => q.textSearch('synopsis', 'crime points', { type: 'plain', config: 'english' }),
      [2],
    ],
    ['textSearch fts', (q) => q.textSearch('synopsis', "'road' & 'trip'"), [4]],
    ['textSearch phrase', (q) => q.textSearch('synopsis', 'medical test', { type: 'phrase' }), [1]],
    [
      'textSearch websearch',
      (q) => q.textSearch('synopsis', 'bureaucrat -singer', { type: 'websearch', config: 'english' }),
      [3],
    ],
    ['json path filter', (q) => q.eq('data->>lang', 'fr'), [1, 4]],
    ['json nested path filter', (q) => q.gt('data->meta->runtime', 100), [3]],
    ['or', (q) => q.or('year.eq.1950,title.eq.Ikiru'), [2, 3]],
    ['or with nested and', (q) => q.or('id.eq.5,and(year.gt.1951,director_id.eq.2)'), [3, 5]],
    ['or with not.and', (q) => q.or('not.and(id.gt.1,id.lt.5),id.eq.3'), [1, 3, 5]],
    ['or with quoted value', (q) => q.or('title.eq."Cléo from 5 to 7",title.eq."a,b"'), [1]],
    ['or with in', (q) => q.or('id.in.(1,2),year.is.null'), [1, 2, 5]],
    ['generic filter', (q) => q.filter('year', 'in', '(1950,1962)'), [1, 2]],
    ['not eq', (q) => q.not('director_id', 'eq', 1), [2, 3]],
    ['match object', (q) => q.match({ director_id: 2, year: 1952 }), [3]],
    ['eq(any)', (q) => q.filter('id', 'eq(any)', '{2,4}'), [2, 4]],
    ['gt(all)', (q) => q.filter('year', 'gt(all)', '{1950,1951}'), [1, 3, 4]],
    ['is true/false on a boolean expression', (q) => q.filter('rating', 'gt', '8.25'), [3]],
  ])('%s', async (_label, build, expected) => {
    expect(await ids(build)).toEqual(expected);
  });

  it('and= at the top level (raw)', async () => {
    const r = await restFetch(
      'rest_films?select=id&and=(year.gt.1950,or(director_id.eq.1,id.eq.3))&order=id',
    );
    expect(r.json).toEqual([{ id: 1 }, { id: 3 }, { id: 4 }]);
  });

  it('not.or= at the top level (raw)', async () => {
    const r = await restFetch('rest_films?select=id&not.or=(year.is.null,year.lt.2000)&order=id');
    expect(r.json).toEqual([{ id: 4 }]);
  });

  it.each([
    ['true', 1],
    ['false', 0],
  ])('is.%s on boolean expressions via a view-less cast (raw)', async (value, count) => {
    const r = await restFetch(
      `rest_numbers?select=n&n=eq.1&label=is.not_null&label=not.is.${value === 'true' ? 'null' : 'not_null'}`,
    );
    expect((r.json as unknown[]).length).toBe(count);
  });
});

describe('REST reads: order, paging, count', () => {
  it.each<[{ ascending: boolean; nullsFirst?: boolean }, number[]]>([
    [{ ascending: false }, [5, 4, 3, 2, 1]],
    [{ ascending: false, nullsFirst: false }, [4, 1, 3, 2, 5]],
    [{ ascending: true, nullsFirst: true }, [5, 2, 3, 1, 4]],
    [{ ascending: true }, [2, 3, 1, 4, 5]],
  ])('order year %o', async (opts, expected) => {
    const { data } = await db
      .from('rest_films')
      .select('id')
      .order(opts.ascending === false && opts.nullsFirst === undefined ? 'id' : 'year', opts);
    expect(data?.map((d) => d.id)).toEqual(expected);
  });

  it('orders by several columns', async () => {
    const { data } = await db
      .from('rest_films')
      .select('id')
      .order('director_id', { ascending: true, nullsFirst: false })
      .order('year', { ascending: false });
    expect(data?.map((d) => d.id)).toEqual([4, 1, 3, 2, 5]);
  });

  it('range() → offset/limit with Content-Range', async () => {
    const { data, count, status } = await db
      .from('rest_numbers')
      .select('n', { count: 'exact' })
      .order('n')
      .range(10, 14);
    expect(data?.map((d) => d.n)).toEqual([11, 12, 13, 14, 15]);
    expect(count).toBe(50);
    expect(status).toBe(206);
  });

  it.each([
    ['no count', 'rest_numbers?select=n&order=n&limit=15', {}, 200, '0-14/*'],
    ['exact', 'rest_numbers?select=n&order=n&limit=5&offset=5', { Prefer: 'count=exact' }, 206, '5-9/50'],
    ['exact, everything', 'rest_numbers?select=n&n=lte.3', { Prefer: 'count=exact' }, 200, '0-2/3'],
    [
      'planned (statistics are fresh after ANALYZE)',
      'rest_numbers?select=n&limit=1',
      { Prefer: 'count=planned' },
      206,
      '0-0/50',
    ],
    ['estimated', 'rest_numbers?select=n&limit=1', { Prefer: 'count=estimated' }, 206, '0-0/50'],
    ['empty', 'rest_numbers?select=n&n=gt.1000', {}, 200, '*/*'],
    ['empty with count', 'rest_numbers?select=n&n=gt.1000', { Prefer: 'count=exact' }, 200, '*/0'],
    ['Range header', 'rest_numbers?select=n&order=n', { Range: '0-9', 'Range-Unit': 'items' }, 200, '0-9/*'],
    [
      'Range header with count',
      'rest_numbers?select=n&order=n',
      { Range: '40-59', 'Range-Unit': 'items', Prefer: 'count=exact' },
      206,
      '40-49/50',
    ],
  ])('Content-Range: %s', async (_l, path, headers, status, range) => {
    const r = await restFetch(path, { headers });
    expect(r.status).toBe(status);
    expect(r.headers.get('content-range')).toBe(range);
  });

  it('offset beyond the total → 416 PGRST103', async () => {
    const r = await restFetch('rest_numbers?select=n&offset=60&limit=5', {
      headers: { Prefer: 'count=exact' },
    });
    expect(r.status).toBe(416);
    expect(r.json).toEqual({
      code: 'PGRST103',
      details: 'An offset of 60 was requested, but there are only 50 rows.',
      hint: null,
      message: 'Requested range not satisfiable',
    });
  });

  it('HEAD with count returns no body and the count', async () => {
    const { data, count, status } = await db
      .from('rest_numbers')
      .select('*', { count: 'exact', head: true })
      .lte('n', 7);
    expect(status).toBe(200);
    expect(data).toBeNull();
    expect(count).toBe(7);
  });

  it('caps results at db-max-rows (1000)', async () => {
    const { data } = await db.rpc('rest_series', { n: 1500 });
    expect((data as number[]).length).toBe(1000);
  });
});

describe('REST reads: representations', () => {
  it('single() returns an object', async () => {
    const { data, error } = await db.from('rest_directors').select('name').eq('id', 2).single();
    expect(error).toBeNull();
    expect(data).toEqual({ name: 'Akira Kurosawa' });
  });

  it.each([
    [0, 'gt', 100],
    [3, 'gt', 0],
  ])('single() with %i rows → 406 PGRST116', async (n, op, v) => {
    const { data, error, status } = await db
      .from('rest_directors')
      .select('name')
      .filter('id', op, v)
      .single();
    expect(status).toBe(406);
    expect(data).toBeNull();
    expect(error).toEqual({
      code: 'PGRST116',
      details: `The result contains ${n} rows`,
      hint: null,
      message: 'Cannot coerce the result to a single JSON object',
    });
  });

  it.each([
    [1, { name: 'Agnès Varda' }],
    [1000, null],
  ])('maybeSingle() id=%i', async (id, expected) => {
    const { data, error } = await db.from('rest_directors').select('name').eq('id', id).maybeSingle();
    expect(error).toBeNull();
    expect(data).toEqual(expected);
  });

  it('csv()', async () => {
    const { data, error } = await db
      .from('rest_films')
      .select('id,title,year')
      .in('id', [1, 5])
      .order('id')
      .csv();
    expect(error).toBeNull();
    expect(data).toBe('id,title,year\n1,Cléo from 5 to 7,1962\n5,Untitled,');
  });

  it('csv quotes cells with commas and quotes (raw)', async () => {
    const r = await restFetch(
      'rest_we"ird; table?select=id,"co""l; drop"&order=id'
        .replace(/"/g, '%22')
        .replace(/ /g, '%20')
        .replace(/;/g, '%3B'),
      {
        headers: { Accept: 'text/csv' },
      },
    );
    expect(r.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(r.text).toBe('id,"co""l; drop"\n1,"x""y"\n2,plain');
  });

  it('stripNulls() drops null fields', async () => {
    const { data } = await db.from('rest_films').select('id,year,rating').eq('id', 5).stripNulls();
    expect(data).toEqual([{ id: 5 }]);
  });

  it('unsupported Accept → 406 PGRST107', async () => {
    const r = await restFetch('rest_numbers', { headers: { Accept: 'application/xml' } });
    expect(r.status).toBe(406);
    expect(r.json).toMatchObject({ code: 'PGRST107' });
  });

  it('the service role reads the same data', async () => {
    const { data } = await serviceClient().from('rest_directors').select('id').order('id');
    expect(data).toEqual([{ id: 1 }, { id: 2 }, { id: 3 }]);
  });
});
