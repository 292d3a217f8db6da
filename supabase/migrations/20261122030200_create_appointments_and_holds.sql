-- Appointments (no overlap per dentist, enforced by an exclusion constraint) and slot holds.
-- Neither table is writable through the API: every change goes through the RPCs of the next
-- migration, which check the business rules, lock the dentist and write the activity log.

create type public.appointment_status as enum (
  'scheduled', 'confirmed', 'checked_in', 'in_chair', 'completed', 'cancelled', 'late_cancel', 'no_show'
);
comment on type public.appointment_status is
  'scheduled → confirmed → checked_in → in_chair → completed; any active status → cancelled / late_cancel / no_show.';

create type public.appointment_source as enum ('portal', 'chatbot', 'staff');

-- Statuses whose appointment still occupies the dentist's time. Completed visits keep their time
-- (history must not show two patients in one chair); cancelled, late_cancel and no_show free it.
create or replace function private.is_blocking_status(p_status public.appointment_status)
returns boolean
language sql
immutable
set search_path = ''
as $$
  select p_status in ('scheduled', 'confirmed', 'checked_in', 'in_chair', 'completed')
$$;

create table public.appointments (
  id uuid primary key default gen_random_uuid(),
  clinic_id uuid not null,
  dentist_id uuid not null,
  patient_id uuid not null references public.profiles (id) on delete restrict,
  service_id uuid not null,
  period tstzrange not null,
  -- lower/upper(period), kept by trigger for easy filtering (`starts_at=gte.…`). Not generated
  -- columns: with replica identity FULL, Postgres 18 refuses updates on tables whose identity
  -- contains unpublished generated columns.
  starts_at timestamptz not null,
  ends_at timestamptz not null,
  buffer_before_minutes integer not null default 0 check (buffer_before_minutes >= 0),
  buffer_after_minutes integer not null default 0 check (buffer_after_minutes >= 0),
  -- period widened by the buffers; set by trigger (timestamptz ± interval is not immutable, so it
  -- cannot be a generated column).
  blocked_period tstzrange not null,
  status public.appointment_status not null default 'scheduled',
  source public.appointment_source not null default 'portal',
  notes text check (notes is null or length(notes) <= 2000),
  cancel_reason text check (cancel_reason is null or length(cancel_reason) <= 500),
  idempotency_key text check (idempotency_key is null or length(idempotency_key) between 1 and 200),
  version integer not null default 1,
  created_by uuid,
  created_at timestamptz not null default now(),
  updated_by uuid,
  updated_at timestamptz not null default now(),
  foreign key (dentist_id, clinic_id) references public.dentists (id, clinic_id) on delete restrict,
  foreign key (service_id, clinic_id) references public.services (id, clinic_id) on delete restrict,
  check (not isempty(period) and lower_inc(period) and not upper_inc(period)
         and not lower_inf(period) and not upper_inf(period)),
  constraint appointments_no_overlap exclude using gist (
    dentist_id with =,
    blocked_period with &&
  ) where (status in ('scheduled', 'confirmed', 'checked_in', 'in_chair', 'completed'))
);
comment on table public.appointments is
  'A booked visit. The exclusion constraint appointments_no_overlap makes overlapping (buffers included) active appointments of one dentist impossible. Changed only through the scheduling RPCs; version increases with every change.';
comment on column public.appointments.period is 'The visit itself, [start, end).';
comment on column public.appointments.blocked_period is 'period plus the service buffers at booking time; what may not overlap.';
create index appointments_clinic_start_idx on public.appointments (clinic_id, starts_at);
create index appointments_dentist_start_idx on public.appointments (dentist_id, starts_at);
create index appointments_patient_start_idx on public.appointments (patient_id, starts_at);
create unique index appointments_idempotency_idx on public.appointments (created_by, idempotency_key)
  where idempotency_key is not null;

create or replace function private.appointments_before_write()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  new.starts_at := lower(new.period);
  new.ends_at := upper(new.period);
  new.blocked_period := tstzrange(
    lower(new.period) - make_interval(mins => new.buffer_before_minutes),
    upper(new.period) + make_interval(mins => new.buffer_after_minutes),
    '[)'
  );
  if tg_op = 'UPDATE' then
    new.version := old.version + 1;
    new.updated_at := now();
    new.updated_by := coalesce(auth.uid(), new.updated_by);
    new.created_by := old.created_by;
    new.created_at := old.created_at;
  else
    new.version := 1;
    new.created_by := coalesce(new.created_by, auth.uid());
    new.updated_by := new.created_by;
  end if;
  return new;
end
$$;

create trigger appointments_before_write
before insert or update on public.appointments
for each row execute function private.appointments_before_write();

alter table public.appointments enable row level security;
alter table public.appointments replica identity full;

create policy "Patients can read their own appointments"
on public.appointments for select
to authenticated
using (patient_id = (select m.user_id from public.current_member() m));

create policy "Dentists can read their own calendar"
on public.appointments for select
to authenticated
using (dentist_id = (select m.dentist_id from public.current_member() m where m.role = 'dentist'));

create policy "Admins can read the appointments of their clinic"
on public.appointments for select
to authenticated
using (clinic_id = (select m.clinic_id from public.current_member() m where m.role = 'admin'));

-- No insert/update/delete policies and no privileges: the RPCs are the only way in.
revoke insert, update, delete, truncate on public.appointments from anon, authenticated;
revoke all on public.appointments from anon;

-- ---------------------------------------------------------------------------------------------
-- slot_holds: one per holder; expired rows are ignored everywhere and deleted lazily by the RPCs.
-- An exclusion constraint cannot express "unexpired" (now() is not immutable), so hold_slot and
-- book_appointment serialise per dentist with a row lock on the dentist and check holds themselves.
-- ---------------------------------------------------------------------------------------------
create table public.slot_holds (
  id uuid primary key default gen_random_uuid(),
  clinic_id uuid not null,
  dentist_id uuid not null,
  service_id uuid not null,
  held_by uuid not null unique references public.profiles (id) on delete cascade,
  period tstzrange not null,
  starts_at timestamptz not null,
  ends_at timestamptz not null,
  blocked_period tstzrange not null,
  expires_at timestamptz not null,
  created_at timestamptz not null default now(),
  foreign key (dentist_id, clinic_id) references public.dentists (id, clinic_id) on delete cascade,
  foreign key (service_id, clinic_id) references public.services (id, clinic_id) on delete cascade
);
comment on table public.slot_holds is
  'A slot reserved for a few minutes (clinics.hold_minutes) while its holder completes the booking. At most one per holder. Unexpired holds of others block hold_slot/book_appointment and are hidden from available_slots.';
create index slot_holds_dentist_idx on public.slot_holds (dentist_id, expires_at);

create or replace function private.slot_holds_before_write()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  new.starts_at := lower(new.period);
  new.ends_at := upper(new.period);
  return new;
end
$$;

create trigger slot_holds_before_write
before insert or update on public.slot_holds
for each row execute function private.slot_holds_before_write();
alter table public.slot_holds enable row level security;
alter table public.slot_holds replica identity full;

create policy "Users can read their own holds"
on public.slot_holds for select
to authenticated
using (held_by = (select m.user_id from public.current_member() m));

create policy "Admins can read the holds of their clinic"
on public.slot_holds for select
to authenticated
using (clinic_id = (select m.clinic_id from public.current_member() m where m.role = 'admin'));

revoke insert, update, delete, truncate on public.slot_holds from anon, authenticated;
revoke all on public.slot_holds from anon;

-- Postgres Changes for apps that prefer them. Replica identity FULL on both: filtered
-- subscriptions (e.g. dentist_id=eq.X) match UPDATE/DELETE events on the old row, which with the
-- default identity would carry only the primary key; the rows are small, so the WAL cost is low.
alter publication supabase_realtime add table public.appointments, public.slot_holds;
