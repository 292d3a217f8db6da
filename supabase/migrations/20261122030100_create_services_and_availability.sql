-- Services, which dentist offers which service, and availability: weekly rules, date overrides and
-- time off. Every availability row carries clinic_id, kept consistent with the dentist by a
-- composite foreign key, so policies compare one column.
--
-- All availability is in clinic local time. An instant is built only where it is needed, as
-- `(local_date + local_time) at time zone clinic.timezone`, so a 09:00–17:00 rule is 09:00–17:00
-- on both sides of a DST change. Worked example (Europe/London, spring forward 2026-03-29):
--   ('2026-03-28'::date + '09:00'::time) at time zone 'Europe/London' = 2026-03-28 09:00Z (GMT)
--   ('2026-03-29'::date + '09:00'::time) at time zone 'Europe/London' = 2026-03-29 08:00Z (BST)
-- while "the day before + 24 h" would have given 09:00Z = 10:00 local.

-- ---------------------------------------------------------------------------------------------
-- services
-- ---------------------------------------------------------------------------------------------
create table public.services (
  id uuid primary key default gen_random_uuid(),
  clinic_id uuid not null references public.clinics (id) on delete cascade,
  name text not null check (length(btrim(name)) between 1 and 200),
  description text check (description is null or length(description) <= 2000),
  duration_minutes integer not null check (duration_minutes between 5 and 480),
  buffer_before_minutes integer not null default 0 check (buffer_before_minutes between 0 and 120),
  buffer_after_minutes integer not null default 0 check (buffer_after_minutes between 0 and 120),
  is_active boolean not null default true,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (id, clinic_id)
);
comment on table public.services is
  'A bookable treatment. Buffers (cleanup/preparation) block the dentist around the appointment but need not lie inside working hours.';
create index services_clinic_idx on public.services (clinic_id);
create trigger services_touch_updated_at before update on public.services
for each row execute function private.touch_updated_at();
alter table public.services enable row level security;

create policy "Anyone can read services"
on public.services for select
to anon, authenticated
using (true);

create policy "Admins can add services to their clinic"
on public.services for insert
to authenticated
with check (clinic_id = (select m.clinic_id from public.current_member() m where m.role = 'admin'));

create policy "Admins can update services of their clinic"
on public.services for update
to authenticated
using (clinic_id = (select m.clinic_id from public.current_member() m where m.role = 'admin'))
with check (clinic_id = (select m.clinic_id from public.current_member() m where m.role = 'admin'));

create policy "Admins can remove services of their clinic"
on public.services for delete
to authenticated
using (clinic_id = (select m.clinic_id from public.current_member() m where m.role = 'admin'));

revoke insert, update, delete, truncate on public.services from anon;

-- ---------------------------------------------------------------------------------------------
-- dentist_services
-- ---------------------------------------------------------------------------------------------
create table public.dentist_services (
  clinic_id uuid not null,
  dentist_id uuid not null,
  service_id uuid not null,
  created_at timestamptz not null default now(),
  primary key (dentist_id, service_id),
  foreign key (dentist_id, clinic_id) references public.dentists (id, clinic_id) on delete cascade,
  foreign key (service_id, clinic_id) references public.services (id, clinic_id) on delete cascade
);
comment on table public.dentist_services is 'Which dentist offers which service (both of the same clinic).';
create index dentist_services_service_idx on public.dentist_services (service_id);
alter table public.dentist_services enable row level security;

create policy "Anyone can read which dentist offers which service"
on public.dentist_services for select
to anon, authenticated
using (true);

create policy "Admins can assign services to dentists of their clinic"
on public.dentist_services for insert
to authenticated
with check (clinic_id = (select m.clinic_id from public.current_member() m where m.role = 'admin'));

create policy "Admins can unassign services from dentists of their clinic"
on public.dentist_services for delete
to authenticated
using (clinic_id = (select m.clinic_id from public.current_member() m where m.role = 'admin'));

revoke insert, update, delete, truncate on public.dentist_services from anon;
revoke update on public.dentist_services from authenticated;

-- ---------------------------------------------------------------------------------------------
-- availability_rules: weekly windows; several per weekday make breaks.
-- ---------------------------------------------------------------------------------------------
create table public.availability_rules (
  id uuid primary key default gen_random_uuid(),
  clinic_id uuid not null,
  dentist_id uuid not null,
  weekday smallint not null check (weekday between 0 and 6),
  start_time time not null,
  end_time time not null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  foreign key (dentist_id, clinic_id) references public.dentists (id, clinic_id) on delete cascade,
  check (start_time < end_time),
  -- Overlapping windows of one weekday would make "inside a window" ambiguous.
  constraint availability_rules_no_overlap exclude using gist (
    dentist_id with =,
    weekday with =,
    tsrange(date '2000-01-01' + start_time, date '2000-01-01' + end_time) with &&
  )
);
comment on table public.availability_rules is
  'Weekly working windows of a dentist in clinic local time. weekday: 0 = Sunday … 6 = Saturday (as extract(dow)). end_time may be 24:00.';
create index availability_rules_dentist_idx on public.availability_rules (dentist_id, weekday);
create trigger availability_rules_touch_updated_at before update on public.availability_rules
for each row execute function private.touch_updated_at();
alter table public.availability_rules enable row level security;

-- ---------------------------------------------------------------------------------------------
-- availability_overrides: a date with any override rows uses only them instead of the weekly rules.
-- A row without times closes the whole day.
-- ---------------------------------------------------------------------------------------------
create table public.availability_overrides (
  id uuid primary key default gen_random_uuid(),
  clinic_id uuid not null,
  dentist_id uuid not null,
  on_date date not null,
  start_time time,
  end_time time,
  note text check (note is null or length(note) <= 500),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  foreign key (dentist_id, clinic_id) references public.dentists (id, clinic_id) on delete cascade,
  check ((start_time is null and end_time is null) or (start_time is not null and end_time is not null and start_time < end_time)),
  constraint availability_overrides_no_overlap exclude using gist (
    dentist_id with =,
    on_date with =,
    tsrange(on_date + coalesce(start_time, time '00:00'), on_date + coalesce(end_time, time '24:00')) with &&
  )
);
comment on table public.availability_overrides is
  'Date-specific hours in clinic local time that replace the weekly rules for that date; a row with no times = day off.';
create index availability_overrides_dentist_idx on public.availability_overrides (dentist_id, on_date);
create trigger availability_overrides_touch_updated_at before update on public.availability_overrides
for each row execute function private.touch_updated_at();
alter table public.availability_overrides enable row level security;

-- ---------------------------------------------------------------------------------------------
-- time_off: absences in clinic local date-times (e.g. 2026-12-24 12:00 to 2027-01-02 00:00).
-- ---------------------------------------------------------------------------------------------
create table public.time_off (
  id uuid primary key default gen_random_uuid(),
  clinic_id uuid not null,
  dentist_id uuid not null,
  starts_local timestamp not null,
  ends_local timestamp not null,
  reason text check (reason is null or length(reason) <= 500),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  foreign key (dentist_id, clinic_id) references public.dentists (id, clinic_id) on delete cascade,
  check (starts_local < ends_local)
);
comment on table public.time_off is
  'A dentist''s absence, as local wall-clock times of the clinic; no appointment may overlap it.';
create index time_off_dentist_idx on public.time_off (dentist_id, starts_local);
create trigger time_off_touch_updated_at before update on public.time_off
for each row execute function private.touch_updated_at();
alter table public.time_off enable row level security;

-- Same policies on the three availability tables: staff of the clinic read; admins of the clinic
-- and the dentist themself write. Patients and anon read free slots through available_slots().
do $$
declare
  t text;
begin
  foreach t in array array['availability_rules', 'availability_overrides', 'time_off'] loop
    execute format($p$
      create policy "Staff can read the availability of their clinic"
      on public.%1$I for select
      to authenticated
      using (clinic_id = (select m.clinic_id from public.current_member() m where m.role in ('admin', 'dentist')));

      create policy "Admins and the dentist can add availability"
      on public.%1$I for insert
      to authenticated
      with check (
        clinic_id = (select m.clinic_id from public.current_member() m where m.role = 'admin')
        or dentist_id = (select m.dentist_id from public.current_member() m where m.role = 'dentist')
      );

      create policy "Admins and the dentist can change availability"
      on public.%1$I for update
      to authenticated
      using (
        clinic_id = (select m.clinic_id from public.current_member() m where m.role = 'admin')
        or dentist_id = (select m.dentist_id from public.current_member() m where m.role = 'dentist')
      )
      with check (
        clinic_id = (select m.clinic_id from public.current_member() m where m.role = 'admin')
        or dentist_id = (select m.dentist_id from public.current_member() m where m.role = 'dentist')
      );

      create policy "Admins and the dentist can remove availability"
      on public.%1$I for delete
      to authenticated
      using (
        clinic_id = (select m.clinic_id from public.current_member() m where m.role = 'admin')
        or dentist_id = (select m.dentist_id from public.current_member() m where m.role = 'dentist')
      );

      revoke all on public.%1$I from anon;
      revoke truncate on public.%1$I from authenticated;
    $p$, t);
  end loop;
end
$$;
