-- Clinics, profiles (1:1 with auth.users) and the one helper every policy uses to learn who the
-- caller is: public.current_member().
--
-- Conventions for the whole domain:
-- * Tables live in `public` (exposed by the REST API) with RLS on; direct writes that must follow
--   business rules (appointments, holds) are not granted at all and go through RPCs.
-- * Internal helpers live in schema `private`, which the API roles cannot use: they are called only
--   from SECURITY DEFINER functions and triggers owned by the migration role.
-- * Errors raised for users use SQLSTATE P0001 with a stable code as MESSAGE and a human sentence as
--   DETAIL (see private.fail and lib/domain/errors.ts).

-- Hosted projects ship these in `extensions` but btree_gist is not enabled by default.
create extension if not exists btree_gist with schema extensions;
create extension if not exists pgcrypto with schema extensions;

create schema if not exists private;
revoke all on schema private from public;
comment on schema private is 'Internal helpers of the scheduling domain; not exposed through the API.';

create type public.member_role as enum ('patient', 'dentist', 'admin');
comment on type public.member_role is 'What a signed-in user is within their clinic.';

-- Raises a domain error the REST layer turns into HTTP 400 with {code:"P0001", message:<code>, details:<sentence>}.
create or replace function private.fail(p_code text, p_detail text)
returns void
language plpgsql
set search_path = ''
as $$
begin
  raise exception using errcode = 'P0001', message = p_code, detail = p_detail;
end
$$;

-- ---------------------------------------------------------------------------------------------
-- clinics
-- ---------------------------------------------------------------------------------------------
create table public.clinics (
  id uuid primary key default gen_random_uuid(),
  name text not null check (length(btrim(name)) between 1 and 200),
  timezone text not null,
  slot_interval_minutes integer not null default 15 check (slot_interval_minutes in (5, 10, 15, 20, 30, 60)),
  min_notice_minutes integer not null default 120 check (min_notice_minutes between 0 and 60 * 24 * 30),
  booking_horizon_days integer not null default 90 check (booking_horizon_days between 1 and 730),
  hold_minutes integer not null default 5 check (hold_minutes between 1 and 60),
  cancellation_cutoff_hours integer not null default 24 check (cancellation_cutoff_hours between 0 and 24 * 14),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
comment on table public.clinics is
  'A dental practice. All local times (availability, overrides, time off) are in `timezone` (IANA name); booking settings drive the slot engine and the RPCs.';
comment on column public.clinics.min_notice_minutes is 'Patients cannot book or hold a slot starting sooner than this.';
comment on column public.clinics.booking_horizon_days is 'Patients cannot book further ahead than this many days.';
comment on column public.clinics.cancellation_cutoff_hours is 'Cancelling closer than this to the start records a late_cancel.';

-- A typo in the time zone would silently shift every slot; reject names Postgres does not know.
create or replace function private.check_clinic_timezone()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  if not exists (select 1 from pg_catalog.pg_timezone_names where name = new.timezone) then
    perform private.fail('invalid_input', format('Unknown time zone "%s".', new.timezone));
  end if;
  new.updated_at := now();
  return new;
end
$$;

create trigger clinics_check_timezone
before insert or update on public.clinics
for each row execute function private.check_clinic_timezone();

alter table public.clinics enable row level security;

-- ---------------------------------------------------------------------------------------------
-- profiles
-- ---------------------------------------------------------------------------------------------
create table public.profiles (
  id uuid primary key references auth.users (id) on delete cascade,
  clinic_id uuid references public.clinics (id) on delete set null,
  role public.member_role not null default 'patient',
  display_name text not null check (length(display_name) between 1 and 200),
  email text,
  phone text check (phone is null or length(phone) <= 40),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (id, clinic_id)
);
comment on table public.profiles is
  'One row per auth user, created by the sign-up trigger as a patient. `role` and `clinic_id` are not writable by the user (column privileges); admins change roles with public.set_member_role().';
create index profiles_clinic_role_idx on public.profiles (clinic_id, role);

alter table public.profiles enable row level security;

-- Users may edit only their own name and phone; everything else is set by triggers and RPCs.
revoke insert, update, delete, truncate on public.profiles from anon, authenticated;
grant update (display_name, phone) on public.profiles to authenticated;

create or replace function private.touch_updated_at()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  new.updated_at := now();
  return new;
end
$$;

create trigger profiles_touch_updated_at
before update on public.profiles
for each row execute function private.touch_updated_at();

-- ---------------------------------------------------------------------------------------------
-- dentists (here because current_member() reports the caller's dentist row)
-- ---------------------------------------------------------------------------------------------
create table public.dentists (
  id uuid primary key default gen_random_uuid(),
  clinic_id uuid not null references public.clinics (id) on delete cascade,
  profile_id uuid unique references public.profiles (id) on delete set null,
  display_name text not null check (length(btrim(display_name)) between 1 and 200),
  bio text check (bio is null or length(bio) <= 2000),
  is_active boolean not null default true,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (id, clinic_id)
);
comment on table public.dentists is
  'A bookable dentist of a clinic. `profile_id` links the login of the dentist (role dentist) so they can manage their own calendar.';
create index dentists_clinic_idx on public.dentists (clinic_id);

create trigger dentists_touch_updated_at
before update on public.dentists
for each row execute function private.touch_updated_at();

alter table public.dentists enable row level security;

-- ---------------------------------------------------------------------------------------------
-- The one helper policies use.
-- ---------------------------------------------------------------------------------------------
create or replace function public.current_member()
returns table (user_id uuid, role public.member_role, clinic_id uuid, dentist_id uuid)
language sql
stable
security definer
set search_path = ''
as $$
  select p.id, p.role, p.clinic_id, d.id
  from public.profiles p
  left join public.dentists d on d.profile_id = p.id and d.clinic_id = p.clinic_id
  where p.id = auth.uid()
$$;
comment on function public.current_member() is
  'The caller''s user id, role, clinic and (for dentists) dentist id; no row for anon or users without a profile. Every RLS policy decides through this function.';
revoke all on function public.current_member() from public;
grant execute on function public.current_member() to anon, authenticated, service_role;

-- ---------------------------------------------------------------------------------------------
-- Policies: clinics, profiles, dentists
-- ---------------------------------------------------------------------------------------------
create policy "Anyone can read clinics"
on public.clinics for select
to anon, authenticated
using (true);

create policy "Admins can update their own clinic"
on public.clinics for update
to authenticated
using (id = (select m.clinic_id from public.current_member() m where m.role = 'admin'))
with check (id = (select m.clinic_id from public.current_member() m where m.role = 'admin'));

revoke insert, delete, truncate on public.clinics from anon, authenticated;
revoke update on public.clinics from anon;

create policy "Users can read their own profile"
on public.profiles for select
to authenticated
using (id = (select m.user_id from public.current_member() m));

create policy "Staff can read the profiles of their clinic"
on public.profiles for select
to authenticated
using (clinic_id = (select m.clinic_id from public.current_member() m where m.role in ('admin', 'dentist')));

create policy "Users can update their own profile"
on public.profiles for update
to authenticated
using (id = (select m.user_id from public.current_member() m))
with check (id = (select m.user_id from public.current_member() m));

create policy "Admins can update profiles of their clinic"
on public.profiles for update
to authenticated
using (clinic_id = (select m.clinic_id from public.current_member() m where m.role = 'admin'))
with check (clinic_id = (select m.clinic_id from public.current_member() m where m.role = 'admin'));

create policy "Anyone can read dentists"
on public.dentists for select
to anon, authenticated
using (true);

create policy "Admins can add dentists to their clinic"
on public.dentists for insert
to authenticated
with check (clinic_id = (select m.clinic_id from public.current_member() m where m.role = 'admin'));

create policy "Admins can update dentists of their clinic"
on public.dentists for update
to authenticated
using (clinic_id = (select m.clinic_id from public.current_member() m where m.role = 'admin'))
with check (clinic_id = (select m.clinic_id from public.current_member() m where m.role = 'admin'));

create policy "Admins can remove dentists of their clinic"
on public.dentists for delete
to authenticated
using (clinic_id = (select m.clinic_id from public.current_member() m where m.role = 'admin'));

revoke insert, update, delete, truncate on public.dentists from anon;

-- ---------------------------------------------------------------------------------------------
-- Sign-up: every new auth user becomes a patient.
-- Clinic choice, in order: a `clinic_id` the sign-up form put in user metadata if that clinic
-- exists (a patient registering on a clinic's portal); else the only clinic when exactly one
-- exists (single-practice deployments, the demo); else none (an admin can claim the user later
-- with set_member_role). Metadata never decides the role: everyone starts as a patient.
-- ---------------------------------------------------------------------------------------------
create or replace function private.handle_new_user()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_clinic uuid;
  v_requested text := new.raw_user_meta_data ->> 'clinic_id';
  v_name text := nullif(btrim(coalesce(new.raw_user_meta_data ->> 'full_name', new.raw_user_meta_data ->> 'name', '')), '');
begin
  if v_requested ~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' then
    select c.id into v_clinic from public.clinics c where c.id = v_requested::uuid;
  end if;
  if v_clinic is null and (select count(*) from public.clinics) = 1 then
    select c.id into v_clinic from public.clinics c;
  end if;
  -- Anonymous sign-ins (if ever enabled) get a profile but no clinic, so they cannot book.
  if coalesce(new.is_anonymous, false) then
    v_clinic := null;
  end if;
  insert into public.profiles (id, clinic_id, role, display_name, email)
  values (
    new.id,
    v_clinic,
    'patient',
    left(coalesce(v_name, new.email, new.phone, 'Patient'), 200),
    new.email
  )
  on conflict (id) do nothing;
  return new;
end
$$;

create trigger on_auth_user_created
after insert on auth.users
for each row execute function private.handle_new_user();

-- ---------------------------------------------------------------------------------------------
-- Staff accounts: the app server creates the auth user with the service key; an admin then gives
-- that user a role in the admin's clinic. A user without a clinic is claimed into the admin's clinic.
-- Making someone a dentist also creates (or re-activates) their dentists row.
-- ---------------------------------------------------------------------------------------------
create or replace function public.set_member_role(p_user_id uuid, p_role public.member_role)
returns public.profiles
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_me record;
  v_target public.profiles;
begin
  select * into v_me from public.current_member();
  if v_me.user_id is null or v_me.role <> 'admin' then
    perform private.fail('not_allowed', 'Only a clinic admin can change roles.');
  end if;
  if p_user_id is null or p_role is null then
    perform private.fail('invalid_input', 'A user and a role are required.');
  end if;
  if p_user_id = v_me.user_id then
    perform private.fail('not_allowed', 'You cannot change your own role.');
  end if;

  select * into v_target from public.profiles p where p.id = p_user_id for update;
  if v_target.id is null or (v_target.clinic_id is not null and v_target.clinic_id <> v_me.clinic_id) then
    perform private.fail('not_found', 'No such user in your clinic.');
  end if;

  update public.profiles p
  set role = p_role, clinic_id = v_me.clinic_id
  where p.id = p_user_id
  returning * into v_target;

  if p_role = 'dentist' then
    insert into public.dentists (clinic_id, profile_id, display_name)
    values (v_me.clinic_id, p_user_id, v_target.display_name)
    on conflict (profile_id) do update set is_active = true, clinic_id = excluded.clinic_id;
  else
    update public.dentists d set is_active = false where d.profile_id = p_user_id;
  end if;
  return v_target;
end
$$;
comment on function public.set_member_role(uuid, public.member_role) is
  'Admin only: make a user of the admin''s clinic (or a user without a clinic) a patient, dentist or admin.';
revoke all on function public.set_member_role(uuid, public.member_role) from public, anon;
grant execute on function public.set_member_role(uuid, public.member_role) to authenticated, service_role;
