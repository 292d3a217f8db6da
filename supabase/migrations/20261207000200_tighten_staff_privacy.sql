-- Staff see what their work needs, and the API roles lose the table privileges RLS cannot guard.
--
-- 1. Profiles: a dentist reads the staff of their clinic and the patients who have (or had) an
--    appointment with them — not every patient's name, email and phone. Admins still read the
--    whole clinic.
-- 2. Date overrides (their notes) and time off (its reasons) are private to the dentist and the
--    clinic's admins; other dentists no longer read them. The slot engine (SECURITY DEFINER) still
--    applies everyone's overrides and time off, and weekly hours stay readable by the clinic staff.
-- 3. hold_changed on a dentist's schedule topic no longer carries the holder's user id (a patient
--    who has not booked with that dentist); the admins' clinic topic keeps it.
-- 4. TRUNCATE bypasses RLS entirely, and REFERENCES / TRIGGER are never needed by the API roles:
--    revoke them from anon and authenticated on every public table, and from the default
--    privileges the migration role gives future tables (hosted projects grant ALL by default).

-- ---------------------------------------------------------------------------------------------
-- 1. profiles
-- ---------------------------------------------------------------------------------------------
drop policy "Staff can read the profiles of their clinic" on public.profiles;

create policy "Admins can read the profiles of their clinic"
on public.profiles for select
to authenticated
using (clinic_id = (select m.clinic_id from public.current_member() m where m.role = 'admin'));

create policy "Dentists can read the staff of their clinic"
on public.profiles for select
to authenticated
using (
  role in ('admin', 'dentist')
  and clinic_id = (select m.clinic_id from public.current_member() m where m.role = 'dentist')
);

-- The subquery runs under the dentist's own appointments policy ("their own calendar").
create policy "Dentists can read the patients they have seen or will see"
on public.profiles for select
to authenticated
using (
  exists (
    select 1 from public.appointments a
    where a.patient_id = profiles.id
      and a.dentist_id = (select m.dentist_id from public.current_member() m where m.role = 'dentist')
  )
);

-- ---------------------------------------------------------------------------------------------
-- 2. availability_overrides and time_off
-- ---------------------------------------------------------------------------------------------
drop policy "Staff can read the availability of their clinic" on public.availability_overrides;
drop policy "Staff can read the availability of their clinic" on public.time_off;

create policy "Admins can read the date overrides of their clinic"
on public.availability_overrides for select
to authenticated
using (clinic_id = (select m.clinic_id from public.current_member() m where m.role = 'admin'));

create policy "Dentists can read their own date overrides"
on public.availability_overrides for select
to authenticated
using (dentist_id = (select m.dentist_id from public.current_member() m where m.role = 'dentist'));

create policy "Admins can read the time off of their clinic"
on public.time_off for select
to authenticated
using (clinic_id = (select m.clinic_id from public.current_member() m where m.role = 'admin'));

create policy "Dentists can read their own time off"
on public.time_off for select
to authenticated
using (dentist_id = (select m.dentist_id from public.current_member() m where m.role = 'dentist'));

-- ---------------------------------------------------------------------------------------------
-- 3. hold_changed without the holder on the dentist topic
-- ---------------------------------------------------------------------------------------------
create or replace function private.broadcast_hold_change()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_row public.slot_holds := case when tg_op = 'DELETE' then old else new end;
  v_payload jsonb;
begin
  v_payload := jsonb_build_object(
    'operation', tg_op,
    'id', v_row.id,
    'clinic_id', v_row.clinic_id,
    'dentist_id', v_row.dentist_id,
    'service_id', v_row.service_id,
    'starts_at', v_row.starts_at,
    'ends_at', v_row.ends_at,
    'expires_at', v_row.expires_at
  );
  -- Admins manage holds (release_hold) and may see whose they are; the dentist sees only the time.
  perform realtime.send(v_payload || jsonb_build_object('held_by', v_row.held_by), 'hold_changed',
    format('clinic:%s:schedule', v_row.clinic_id));
  perform realtime.send(v_payload, 'hold_changed', format('dentist:%s:schedule', v_row.dentist_id));
  -- `until` lets viewers re-fetch when an abandoned hold lapses (expiry itself writes nothing).
  perform realtime.send(
    jsonb_build_object(
      'dentist_id', v_row.dentist_id,
      'from', lower(v_row.blocked_period),
      'to', upper(v_row.blocked_period),
      'until', case when tg_op = 'DELETE' then null else v_row.expires_at end
    ),
    'slots_changed', format('clinic:%s:availability', v_row.clinic_id));
  return null;
end
$$;

-- ---------------------------------------------------------------------------------------------
-- 4. Privileges RLS cannot guard
-- ---------------------------------------------------------------------------------------------
revoke truncate, references, trigger on all tables in schema public from anon, authenticated;
-- Tables later migrations create as this role start without them too; each new table's migration
-- still grants only what its policies need.
alter default privileges in schema public revoke truncate, references, trigger on tables from anon, authenticated;
