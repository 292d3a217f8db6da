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

-- Scenario "db-broadcast": a booking-like row whose trigger broadcasts from the database to a private
-- topic, the way the app's schedule topics work.
create table if not exists public.bench_bookings (
  id bigserial primary key,
  seq int not null,
  dentist_id int not null default 1,
  starts_at timestamptz not null default now(),
  status text not null default 'scheduled'
);
alter table public.bench_bookings enable row level security;
create policy "Anyone can read bench bookings" on public.bench_bookings for select using (true);

create or replace function public.bench_bookings_broadcast() returns trigger
language plpgsql security definer set search_path = ''
as $$
begin
  perform realtime.send(
    jsonb_build_object('id', new.id, 'seq', new.seq, 'dentist_id', new.dentist_id, 'starts_at', new.starts_at, 'status', new.status),
    'booking', 'bench:schedule', true);
  return new;
end
$$;
create trigger bench_bookings_broadcast after insert on public.bench_bookings
  for each row execute function public.bench_bookings_broadcast();

create policy "Signed-in users can read the bench topic" on realtime.messages for select to authenticated
  using (realtime.topic() = 'bench:schedule' and extension = 'broadcast');

-- Scenario "pg-changes": Postgres Changes with RLS; every signed-in subscriber may read every row, so
-- each change is delivered to all of them after one visibility check per distinct claim set.
create table if not exists public.bench_changes (
  id bigserial primary key,
  seq int not null,
  clinic_id int not null default 1,
  status text not null default 'scheduled'
);
alter table public.bench_changes enable row level security;
create policy "Signed-in users can read bench changes" on public.bench_changes for select to authenticated
  using (auth.uid() is not null and clinic_id = 1);
alter publication supabase_realtime add table public.bench_changes;
