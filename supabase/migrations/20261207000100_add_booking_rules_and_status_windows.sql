-- Per-patient booking rules, status windows with undo, and one error vocabulary for every RPC.
--
-- 1. Per-patient rules (clinic settings, enforced here, not in the app):
--    * allow_patient_overlap (default false): a patient cannot have two overlapping active
--      appointments (scheduled, confirmed, checked_in, in_chair), with any dentist. Applies to
--      everyone who books or moves a visit, staff included: one patient cannot sit in two chairs.
--    * max_online_bookings_per_patient (default 3, null = no limit): upcoming active visits a
--      patient may hold that were booked online (source portal or chatbot). Staff bookings neither
--      count nor are capped: the front desk books courses of treatment on purpose; the limit is
--      about one account taking a dentist's whole day through the portal.
--    * one hold at a time per person (slot_holds.held_by is unique): a new hold replaces the old
--      one. A patient at the limit, or busy at that time, cannot hold either, so they learn it
--      before they confirm.
--    Every RPC that can occupy a patient's time locks the patient's profile row (before the
--    dentist row, always in that order), so two requests of one patient never interleave their
--    checks — across dentists too. That also fixes two concurrent hold_slot calls of one user
--    colliding on slot_holds_held_by_key (a raw 23505 instead of a domain code).
--
-- 2. Status windows: checked_in, in_chair and completed only from
--    clinics.check_in_opens_minutes before the start; no_show only from
--    clinics.no_show_after_minutes after the start. No upper bound (the front desk records a
--    no-show after the fact). For every role, admins included.
--
-- 3. Undo: set_appointment_status accepts the status an appointment had before its last status
--    change, when the same person made that change less than private.status_undo_interval() ago
--    and the change was a step of the workflow. Same RPC, same version check; reactivating a
--    cancelled / no-show visit re-checks that its time (and the patient) is still free.
--
-- New error codes (lib/domain/errors.ts): overlapping_booking, booking_limit_reached, status_too_early.

-- ---------------------------------------------------------------------------------------------
-- Settings
-- ---------------------------------------------------------------------------------------------
alter table public.clinics
  add column allow_patient_overlap boolean not null default false,
  add column max_online_bookings_per_patient integer default 3
    check (max_online_bookings_per_patient is null or max_online_bookings_per_patient between 1 and 100),
  add column check_in_opens_minutes integer not null default 60
    check (check_in_opens_minutes between 0 and 60 * 24 * 7),
  add column no_show_after_minutes integer not null default 0
    check (no_show_after_minutes between 0 and 60 * 24);
comment on column public.clinics.allow_patient_overlap is
  'When false (default) a patient cannot have two overlapping active appointments, with any dentist.';
comment on column public.clinics.max_online_bookings_per_patient is
  'Upcoming active appointments booked online (portal, chatbot) a patient may have; null = no limit. Staff bookings are not counted.';
comment on column public.clinics.check_in_opens_minutes is
  'Check-in, in-chair and completed are accepted from this many minutes before the start.';
comment on column public.clinics.no_show_after_minutes is
  'No-show is accepted from this many minutes after the start.';

-- ---------------------------------------------------------------------------------------------
-- Status history for undo
-- ---------------------------------------------------------------------------------------------
alter table public.appointments
  add column previous_status public.appointment_status,
  add column status_changed_at timestamptz,
  add column status_changed_by uuid;
comment on column public.appointments.previous_status is
  'Status before the last status change (set by trigger); set_appointment_status can return to it for a short while (undo).';

create or replace function private.appointments_track_status()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  if new.status is distinct from old.status then
    new.previous_status := old.status;
    new.status_changed_at := now();
    new.status_changed_by := auth.uid();
  end if;
  return new;
end
$$;

create trigger appointments_track_status
before update on public.appointments
for each row execute function private.appointments_track_status();

-- How long the author of a status change can take it back (the UI offers 10 s; the rest absorbs
-- slow networks and retries).
create or replace function private.status_undo_interval()
returns interval
language sql
immutable
set search_path = ''
as $$
  select interval '2 minutes'
$$;

-- ---------------------------------------------------------------------------------------------
-- Helpers
-- ---------------------------------------------------------------------------------------------
-- Serialises every request that can occupy the patient's time (lock order: patient, then dentist).
create or replace function private.lock_patient(p_patient_id uuid)
returns void
language plpgsql
volatile
set search_path = ''
as $$
begin
  perform 1 from public.profiles p where p.id = p_patient_id for no key update;
end
$$;

-- overlapping_booking / booking_limit_reached for the patient of a new or moved visit.
-- p_except: the appointment being moved or reactivated. p_online: count against the online limit.
create or replace function private.ensure_patient_rules(
  p_clinic public.clinics,
  p_patient_id uuid,
  p_period tstzrange,
  p_except uuid,
  p_online boolean
)
returns void
language plpgsql
stable
set search_path = ''
as $$
declare
  v_booked integer;
begin
  if not p_clinic.allow_patient_overlap and exists (
    select 1 from public.appointments a
    where a.patient_id = p_patient_id and a.id is distinct from p_except
      and a.status in ('scheduled', 'confirmed', 'checked_in', 'in_chair')
      and a.period && p_period
  ) then
    perform private.fail('overlapping_booking',
      'You already have an appointment at that time. Please pick a time that does not overlap it.');
  end if;
  if p_online and p_clinic.max_online_bookings_per_patient is not null then
    select count(*) into v_booked
    from public.appointments a
    where a.patient_id = p_patient_id and a.id is distinct from p_except
      and a.source in ('portal', 'chatbot')
      and a.status in ('scheduled', 'confirmed', 'checked_in', 'in_chair')
      and a.starts_at > now();
    if v_booked >= p_clinic.max_online_bookings_per_patient then
      perform private.fail('booking_limit_reached', format(
        'You already have %s upcoming appointments booked online, the most this clinic allows. Please call the clinic to book more.',
        v_booked));
    end if;
  end if;
end
$$;

-- status_too_early unless the status may be set now for a visit starting at p_starts_at.
create or replace function private.ensure_status_window(
  p_clinic public.clinics,
  p_status public.appointment_status,
  p_starts_at timestamptz
)
returns void
language plpgsql
stable
set search_path = ''
as $$
declare
  v_opens timestamptz;
begin
  if p_status in ('checked_in', 'in_chair', 'completed') then
    v_opens := p_starts_at - make_interval(mins => p_clinic.check_in_opens_minutes);
  elsif p_status = 'no_show' then
    v_opens := p_starts_at + make_interval(mins => p_clinic.no_show_after_minutes);
  else
    return;
  end if;
  if now() < v_opens then
    perform private.fail('status_too_early', format(
      '%s is possible from %s (clinic time), %s.',
      case p_status
        when 'checked_in' then 'Check-in'
        when 'in_chair' then 'In chair'
        when 'completed' then 'Completing the visit'
        else 'Marking a no-show'
      end,
      to_char(v_opens at time zone p_clinic.timezone, 'FMDD Mon YYYY HH24:MI'),
      case when p_status = 'no_show'
        then format('%s minutes after the visit starts', p_clinic.no_show_after_minutes)
        else format('%s minutes before the visit starts', p_clinic.check_in_opens_minutes)
      end));
  end if;
end
$$;

-- ---------------------------------------------------------------------------------------------
-- hold_slot: serialised per holder; patients are checked against their own rules.
-- ---------------------------------------------------------------------------------------------
create or replace function public.hold_slot(p_dentist_id uuid, p_service_id uuid, p_starts_at timestamptz)
returns public.slot_holds
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
  v_me record;
  v_clinic public.clinics;
  v_service public.services;
  v_period tstzrange;
  v_blocked tstzrange;
  v_hold public.slot_holds;
begin
  select * into v_me from private.require_member();
  if p_dentist_id is null or p_service_id is null or p_starts_at is null then
    perform private.fail('invalid_input', 'Choose a dentist, a treatment and a time.');
  end if;
  select * into v_clinic from public.clinics c where c.id = v_me.clinic_id;
  select sv.* into v_service
  from public.services sv
  join public.dentist_services ds on ds.service_id = sv.id and ds.dentist_id = p_dentist_id
  join public.dentists d on d.id = ds.dentist_id and d.is_active
  where sv.id = p_service_id and sv.clinic_id = v_me.clinic_id and sv.is_active;
  if v_service.id is null then
    perform private.fail('not_found', 'This dentist does not offer that treatment at your clinic.');
  end if;
  perform private.check_start_time(v_clinic, p_starts_at, v_me.role <> 'patient');

  -- One hold per person: a second concurrent hold_slot of the same user waits here, then
  -- replaces the first one's hold instead of colliding with it on slot_holds.held_by.
  perform private.lock_patient(v_me.user_id);
  perform 1 from public.dentists d where d.id = p_dentist_id for no key update;

  v_period := tstzrange(p_starts_at, p_starts_at + make_interval(mins => v_service.duration_minutes), '[)');
  v_blocked := private.buffered(v_period, v_service.buffer_before_minutes, v_service.buffer_after_minutes);
  if not private.fits_availability(p_dentist_id, v_clinic.timezone, v_period) then
    perform private.fail('outside_availability', 'The dentist is not working at that time. Please pick one of the offered times.');
  end if;
  perform private.ensure_time_free(p_dentist_id, v_blocked, v_me.user_id);
  if v_me.role = 'patient' then
    perform private.ensure_patient_rules(v_clinic, v_me.user_id, v_period, null, true);
  end if;

  delete from public.slot_holds h where h.held_by = v_me.user_id;
  begin
    insert into public.slot_holds (clinic_id, dentist_id, service_id, held_by, period, blocked_period, expires_at)
    values (v_me.clinic_id, p_dentist_id, p_service_id, v_me.user_id, v_period, v_blocked,
            now() + make_interval(mins => v_clinic.hold_minutes))
    returning * into v_hold;
  exception
    -- Unreachable while the holder lock above is taken; kept so a constraint never leaks.
    when unique_violation or exclusion_violation then
      perform private.fail('slot_taken', 'Sorry, someone else just took that time. Please pick another one.');
  end;
  return v_hold;
end
$$;
comment on function public.hold_slot(uuid, uuid, timestamptz) is
  'Reserve a start time for clinics.hold_minutes while the caller completes the booking; replaces the caller''s previous hold. Patients: not while busy at that time or at the online booking limit.';

-- ---------------------------------------------------------------------------------------------
-- book_appointment: + per-patient rules (overlap for everyone, online limit for patients).
-- ---------------------------------------------------------------------------------------------
create or replace function public.book_appointment(
  p_dentist_id uuid,
  p_service_id uuid,
  p_starts_at timestamptz,
  p_patient_id uuid default null,
  p_hold_id uuid default null,
  p_source public.appointment_source default null,
  p_idempotency_key text default null,
  p_notes text default null
)
returns public.appointments
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
  v_me record;
  v_is_staff boolean;
  v_patient uuid;
  v_source public.appointment_source;
  v_clinic public.clinics;
  v_service public.services;
  v_hold public.slot_holds;
  v_period tstzrange;
  v_blocked tstzrange;
  v_appointment public.appointments;
begin
  select * into v_me from private.require_member();
  v_is_staff := v_me.role in ('admin', 'dentist');
  if p_dentist_id is null or p_service_id is null or p_starts_at is null then
    perform private.fail('invalid_input', 'Choose a dentist, a treatment and a time.');
  end if;
  if p_idempotency_key is not null and length(p_idempotency_key) not between 1 and 200 then
    perform private.fail('invalid_input', 'The request id must be 1 to 200 characters.');
  end if;
  if p_notes is not null and length(p_notes) > 2000 then
    perform private.fail('invalid_input', 'Notes can be at most 2000 characters.');
  end if;

  if v_is_staff then
    if p_patient_id is null then
      perform private.fail('invalid_input', 'Choose the patient to book for.');
    end if;
    if v_me.role = 'dentist' and p_dentist_id is distinct from v_me.dentist_id then
      perform private.fail('not_allowed', 'Dentists can book only into their own calendar.');
    end if;
    if not exists (
      select 1 from public.profiles p where p.id = p_patient_id and p.clinic_id = v_me.clinic_id and p.role = 'patient'
    ) then
      perform private.fail('not_found', 'We could not find that patient at your clinic.');
    end if;
    v_patient := p_patient_id;
    v_source := coalesce(p_source, 'staff');
  else
    if p_patient_id is not null and p_patient_id <> v_me.user_id then
      perform private.fail('not_allowed', 'You can only book appointments for yourself.');
    end if;
    v_patient := v_me.user_id;
    v_source := coalesce(p_source, 'portal');
    if v_source = 'staff' then
      perform private.fail('invalid_input', 'Only clinic staff can make staff bookings.');
    end if;
  end if;

  select * into v_clinic from public.clinics c where c.id = v_me.clinic_id;
  select sv.* into v_service
  from public.services sv
  join public.dentist_services ds on ds.service_id = sv.id and ds.dentist_id = p_dentist_id
  join public.dentists d on d.id = ds.dentist_id and d.is_active
  where sv.id = p_service_id and sv.clinic_id = v_me.clinic_id and sv.is_active;
  if v_service.id is null then
    perform private.fail('not_found', 'This dentist does not offer that treatment at your clinic.');
  end if;
  v_period := tstzrange(p_starts_at, p_starts_at + make_interval(mins => v_service.duration_minutes), '[)');
  v_blocked := private.buffered(v_period, v_service.buffer_before_minutes, v_service.buffer_after_minutes);

  -- Serialise with every other request of this patient, then with every booking/hold for this
  -- dentist, before checking anything.
  perform private.lock_patient(v_patient);
  perform 1 from public.dentists d where d.id = p_dentist_id for no key update;

  -- A retried request returns what the first attempt created (even if the time has since passed).
  if p_idempotency_key is not null then
    select * into v_appointment from public.appointments a
    where a.created_by = v_me.user_id and a.idempotency_key = p_idempotency_key;
    if v_appointment.id is not null then
      if v_appointment.dentist_id <> p_dentist_id or v_appointment.service_id <> p_service_id
         or v_appointment.starts_at <> p_starts_at or v_appointment.patient_id <> v_patient then
        perform private.fail('invalid_input', 'This request id was already used for a different booking.');
      end if;
      return v_appointment;
    end if;
  end if;

  perform private.check_start_time(v_clinic, p_starts_at, v_is_staff);

  if p_hold_id is not null then
    select * into v_hold from public.slot_holds h where h.id = p_hold_id and h.held_by = v_me.user_id;
    if v_hold.id is null or v_hold.expires_at <= now() then
      delete from public.slot_holds h where h.id = p_hold_id and h.held_by = v_me.user_id;
      perform private.fail('hold_expired', 'Your reservation of this time ran out. Please choose the time again.');
    end if;
    if v_hold.dentist_id <> p_dentist_id or v_hold.starts_at <> p_starts_at or v_hold.service_id <> p_service_id then
      perform private.fail('invalid_input', 'The held time does not match this booking.');
    end if;
  end if;

  if not private.fits_availability(p_dentist_id, v_clinic.timezone, v_period) then
    perform private.fail('outside_availability', 'The dentist is not working at that time. Please pick one of the offered times.');
  end if;
  perform private.ensure_time_free(p_dentist_id, v_blocked, v_me.user_id);
  perform private.ensure_patient_rules(v_clinic, v_patient, v_period, null, not v_is_staff);

  begin
    insert into public.appointments (
      clinic_id, dentist_id, patient_id, service_id, period,
      buffer_before_minutes, buffer_after_minutes, blocked_period,
      status, source, notes, idempotency_key, created_by
    ) values (
      v_me.clinic_id, p_dentist_id, v_patient, p_service_id, v_period,
      v_service.buffer_before_minutes, v_service.buffer_after_minutes, v_blocked,
      'scheduled', v_source, p_notes, p_idempotency_key, v_me.user_id
    )
    returning * into v_appointment;
  exception
    when exclusion_violation then
      perform private.fail('slot_taken', 'Sorry, someone else just took that time. Please pick another one.');
    when unique_violation then
      perform private.fail('invalid_input', 'This request id was already used for a different booking.');
  end;

  delete from public.slot_holds h where h.held_by = v_me.user_id;
  return v_appointment;
end
$$;

-- ---------------------------------------------------------------------------------------------
-- reschedule_appointment: + the patient may not overlap themselves at the new time.
-- ---------------------------------------------------------------------------------------------
create or replace function public.reschedule_appointment(
  p_appointment_id uuid,
  p_starts_at timestamptz,
  p_dentist_id uuid default null,
  p_expected_version integer default null
)
returns public.appointments
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
  v_me record;
  v_appointment public.appointments;
  v_clinic public.clinics;
  v_service public.services;
  v_dentist uuid;
  v_period tstzrange;
  v_blocked tstzrange;
begin
  select * into v_me from private.require_member();
  if p_appointment_id is null or p_starts_at is null then
    perform private.fail('invalid_input', 'Choose the appointment and the new time.');
  end if;
  select * into v_appointment from public.appointments a where a.id = p_appointment_id;
  if v_appointment.id is null
     or not private.member_can_act_on(v_me.role, v_me.user_id, v_me.clinic_id, v_me.dentist_id, v_appointment) then
    perform private.fail('not_found', 'We could not find that appointment.');
  end if;
  v_dentist := coalesce(p_dentist_id, v_appointment.dentist_id);
  if v_me.role = 'dentist' and v_dentist is distinct from v_me.dentist_id then
    perform private.fail('not_allowed', 'Dentists can move appointments only within their own calendar.');
  end if;

  -- Lock order: the patient, both calendars in a fixed order (no deadlock between two opposite
  -- moves), then the row.
  perform private.lock_patient(v_appointment.patient_id);
  perform 1 from public.dentists d where d.id in (v_appointment.dentist_id, v_dentist) order by d.id for no key update;
  select * into v_appointment from public.appointments a where a.id = p_appointment_id for update;

  if p_expected_version is not null and v_appointment.version <> p_expected_version then
    perform private.fail('stale_version', 'This appointment was changed by someone else. Please reload and try again.');
  end if;
  if v_appointment.status not in ('scheduled', 'confirmed') then
    perform private.fail('invalid_transition', format('An appointment that is %s cannot be moved.', replace(v_appointment.status::text, '_', ' ')));
  end if;
  if v_me.role = 'patient' and v_appointment.starts_at <= now() then
    perform private.fail('in_past', 'This appointment has already started. Please call the clinic.');
  end if;

  select * into v_clinic from public.clinics c where c.id = v_appointment.clinic_id;
  select sv.* into v_service
  from public.services sv
  join public.dentist_services ds on ds.service_id = sv.id and ds.dentist_id = v_dentist
  join public.dentists d on d.id = ds.dentist_id and d.is_active and d.clinic_id = v_appointment.clinic_id
  where sv.id = v_appointment.service_id;
  if v_service.id is null then
    perform private.fail('not_found', 'That dentist does not offer this treatment.');
  end if;
  perform private.check_start_time(v_clinic, p_starts_at, v_me.role <> 'patient');

  v_period := tstzrange(p_starts_at, p_starts_at + make_interval(mins => v_service.duration_minutes), '[)');
  v_blocked := private.buffered(v_period, v_service.buffer_before_minutes, v_service.buffer_after_minutes);
  if not private.fits_availability(v_dentist, v_clinic.timezone, v_period) then
    perform private.fail('outside_availability', 'The dentist is not working at that time. Please pick one of the offered times.');
  end if;
  perform private.ensure_time_free(v_dentist, v_blocked, v_me.user_id, v_appointment.patient_id, v_appointment.id);
  -- Moving does not change how many visits the patient has: only the overlap rule applies.
  perform private.ensure_patient_rules(v_clinic, v_appointment.patient_id, v_period, v_appointment.id, false);

  begin
    update public.appointments a
    set dentist_id = v_dentist,
        period = v_period,
        buffer_before_minutes = v_service.buffer_before_minutes,
        buffer_after_minutes = v_service.buffer_after_minutes,
        status = 'scheduled'
    where a.id = v_appointment.id
    returning * into v_appointment;
  exception
    when exclusion_violation then
      perform private.fail('slot_taken', 'Sorry, someone else just took that time. Please pick another one.');
  end;
  delete from public.slot_holds h where h.held_by = v_me.user_id;
  return v_appointment;
end
$$;

-- ---------------------------------------------------------------------------------------------
-- set_appointment_status: + status windows, + undo of one's own last step.
-- ---------------------------------------------------------------------------------------------
create or replace function public.set_appointment_status(
  p_appointment_id uuid,
  p_status public.appointment_status,
  p_expected_version integer
)
returns public.appointments
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
  v_me record;
  v_appointment public.appointments;
  v_clinic public.clinics;
  v_is_undo boolean;
begin
  select * into v_me from private.require_member();
  if p_appointment_id is null or p_status is null or p_expected_version is null then
    perform private.fail('invalid_input', 'Choose the appointment, the new status and the version you saw.');
  end if;
  select * into v_appointment from public.appointments a where a.id = p_appointment_id;
  if v_appointment.id is null
     or not private.member_can_act_on(v_me.role, v_me.user_id, v_me.clinic_id, v_me.dentist_id, v_appointment) then
    perform private.fail('not_found', 'We could not find that appointment.');
  end if;

  -- Undo: back to the status before the caller's own workflow step, shortly after it.
  v_is_undo := v_me.role in ('admin', 'dentist')
    and p_status = v_appointment.previous_status
    and v_appointment.status_changed_by = v_me.user_id
    and v_appointment.status_changed_at > now() - private.status_undo_interval()
    and private.is_allowed_transition(v_appointment.previous_status, v_appointment.status);

  if p_status = 'cancelled' and not v_is_undo then
    return public.cancel_appointment(p_appointment_id, null, p_expected_version);
  end if;

  if v_is_undo and not private.is_blocking_status(v_appointment.status) and private.is_blocking_status(p_status) then
    -- Reactivating takes time again: same locks and checks as a booking.
    perform private.lock_patient(v_appointment.patient_id);
    perform 1 from public.dentists d where d.id = v_appointment.dentist_id for no key update;
  end if;
  select * into v_appointment from public.appointments a where a.id = p_appointment_id for update;
  if v_appointment.version <> p_expected_version then
    perform private.fail('stale_version', 'This appointment was changed by someone else. Please reload and try again.');
  end if;
  select * into v_clinic from public.clinics c where c.id = v_appointment.clinic_id;

  if v_is_undo then
    if not private.is_blocking_status(v_appointment.status) and private.is_blocking_status(p_status) then
      perform private.ensure_time_free(v_appointment.dentist_id, v_appointment.blocked_period, null, null, v_appointment.id);
      perform private.ensure_patient_rules(v_clinic, v_appointment.patient_id, v_appointment.period, v_appointment.id, false);
    end if;
  else
    if v_me.role = 'patient' and p_status <> 'confirmed' then
      perform private.fail('not_allowed', 'Patients can only confirm or cancel their appointments.');
    end if;
    if not private.is_allowed_transition(v_appointment.status, p_status) then
      perform private.fail('invalid_transition', format('An appointment that is %s cannot become %s.',
        replace(v_appointment.status::text, '_', ' '), replace(p_status::text, '_', ' ')));
    end if;
    perform private.ensure_status_window(v_clinic, p_status, v_appointment.starts_at);
  end if;

  begin
    update public.appointments a set status = p_status where a.id = v_appointment.id returning * into v_appointment;
  exception
    when exclusion_violation then
      perform private.fail('slot_taken', 'That time has been given to someone else in the meantime, so the change cannot be undone.');
  end;
  return v_appointment;
end
$$;
comment on function public.set_appointment_status(uuid, public.appointment_status, integer) is
  'Move a visit along its workflow (see private.is_allowed_transition; check-in, in-chair, completed and no-show only inside the clinic''s status windows); p_expected_version guards against overwriting someone else''s change. Staff can return to the previous status within a short time of their own change (undo).';

-- New helpers stay private (the schema-wide revoke of the scheduling migration ran before they existed).
revoke execute on all functions in schema private from public;
