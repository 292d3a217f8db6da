-- Append-only activity log: one row per insert/update/delete of appointments, holds and
-- availability, written by SECURITY DEFINER triggers. No API role (service_role included) may
-- insert, update or delete rows; only the triggers (running as the table owner) write.

create table public.activity_log (
  id bigint generated always as identity primary key,
  clinic_id uuid not null references public.clinics (id) on delete cascade,
  occurred_at timestamptz not null default now(),
  actor_id uuid,
  actor_role text not null,
  entity_type text not null check (entity_type in ('appointment', 'slot_hold', 'availability_rule', 'availability_override', 'time_off')),
  entity_id uuid not null,
  action text not null check (action in ('insert', 'update', 'delete')),
  appointment_id uuid,
  patient_id uuid,
  dentist_id uuid,
  before jsonb,
  after jsonb
);
comment on table public.activity_log is
  'Who changed what and when (before/after images) for appointments, slot holds and availability. Append-only; admins read their clinic, dentists their calendar, patients the history of their own appointments.';
comment on column public.activity_log.actor_role is 'Member role of the actor, else the API role (service_role) or "system" for migrations/seed/jobs.';
create index activity_log_clinic_time_idx on public.activity_log (clinic_id, occurred_at desc);
create index activity_log_appointment_idx on public.activity_log (appointment_id) where appointment_id is not null;
create index activity_log_patient_idx on public.activity_log (patient_id) where patient_id is not null;

alter table public.activity_log enable row level security;
revoke insert, update, delete, truncate on public.activity_log from anon, authenticated, service_role;
revoke all on public.activity_log from anon;

create policy "Admins can read the activity of their clinic"
on public.activity_log for select
to authenticated
using (clinic_id = (select m.clinic_id from public.current_member() m where m.role = 'admin'));

create policy "Dentists can read the activity of their calendar"
on public.activity_log for select
to authenticated
using (dentist_id = (select m.dentist_id from public.current_member() m where m.role = 'dentist'));

create policy "Patients can read the history of their own appointments"
on public.activity_log for select
to authenticated
using (
  entity_type = 'appointment'
  and patient_id = (select m.user_id from public.current_member() m where m.role = 'patient')
);

-- Who is acting: the member behind the JWT, else the API role of the request, else "system".
create or replace function private.current_actor_role()
returns text
language sql
stable
security definer
set search_path = ''
as $$
  select coalesce(
    (select m.role::text from public.current_member() m),
    nullif(auth.role(), ''),
    'system'
  )
$$;

create or replace function private.log_activity()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_row jsonb := to_jsonb(coalesce(new, old));
  v_entity text := case tg_table_name
    when 'appointments' then 'appointment'
    when 'slot_holds' then 'slot_hold'
    when 'availability_rules' then 'availability_rule'
    when 'availability_overrides' then 'availability_override'
    when 'time_off' then 'time_off'
  end;
begin
  insert into public.activity_log (
    clinic_id, actor_id, actor_role, entity_type, entity_id, action,
    appointment_id, patient_id, dentist_id, before, after
  ) values (
    (v_row ->> 'clinic_id')::uuid,
    auth.uid(),
    private.current_actor_role(),
    v_entity,
    (v_row ->> 'id')::uuid,
    lower(tg_op),
    case when v_entity = 'appointment' then (v_row ->> 'id')::uuid end,
    coalesce(v_row ->> 'patient_id', v_row ->> 'held_by')::uuid,
    (v_row ->> 'dentist_id')::uuid,
    case when tg_op <> 'INSERT' then to_jsonb(old) end,
    case when tg_op <> 'DELETE' then to_jsonb(new) end
  );
  return null;
end
$$;

create trigger appointments_log_activity
after insert or update or delete on public.appointments
for each row execute function private.log_activity();

create trigger slot_holds_log_activity
after insert or update or delete on public.slot_holds
for each row execute function private.log_activity();

create trigger availability_rules_log_activity
after insert or update or delete on public.availability_rules
for each row execute function private.log_activity();

create trigger availability_overrides_log_activity
after insert or update or delete on public.availability_overrides
for each row execute function private.log_activity();

create trigger time_off_log_activity
after insert or update or delete on public.time_off
for each row execute function private.log_activity();
