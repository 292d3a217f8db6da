-- Benchmark fixtures: applied to the throw-away stack the benchmark starts, never to a real project.
create table if not exists public.bench_items (
  id bigint primary key,
  name text not null,
  price numeric(10, 2) not null,
  tags text[] not null default '{}',
  updated_at timestamptz not null default now()
);
alter table public.bench_items enable row level security;
create policy "Anyone can read bench items" on public.bench_items for select using (true);
insert into public.bench_items (id, name, price, tags)
select g, 'item ' || g, (g % 100) + 0.99, array['a', 'b'] from generate_series(1, 1000) g
on conflict do nothing;
