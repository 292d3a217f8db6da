-- The slot engine and the scheduling RPCs.
--
-- Rules (one place, mirrored in lib/domain and lib/scheduling):
-- * A visit's period [start, start + duration) must lie inside one availability window of its
--   local date (override rows replace the weekly rules for that date) and must not overlap time off.
-- * Its blocked period (period widened by the service buffers) must not overlap the blocked period
--   of another active appointment of the dentist (also enforced by appointments_no_overlap) nor an
--   unexpired hold of someone else.
-- * Patients: not in the past, not sooner than clinics.min_notice_minutes, not later than
--   clinics.booking_horizon_days. Staff: only "not in the past".
-- * Offered slots start at window start + k × clinics.slot_interval_minutes, stepping in absolute
--   time, so a window that spans a DST jump yields exactly its real length in slots.
--
-- Errors: SQLSTATE P0001, MESSAGE = stable code, DETAIL = sentence for people (private.fail).
-- Concurrency: every RPC that can occupy time locks the dentist row (FOR NO KEY UPDATE) before it
-- checks anything, so checks and insert of two bookings for one dentist never interleave; the
-- exclusion constraint stays as the last line of defence.

-- ---------------------------------------------------------------------------------------------
-- Internal helpers
-- ---------------------------------------------------------------------------------------------
create or replace function private.dentist_windows(p_dentist_id uuid, p_date date, p_tz text)
returns table (window_start timestamptz, window_end timestamptz)
language sql
stable
set search_path = ''
as $$
  with overridden as (
    select exists (
      select 1 from public.availability_overrides o where o.dentist_id = p_dentist_id and o.on_date = p_date
    ) as yes
  )
  select (p_date + o.start_time) at time zone p_tz, (p_date + o.end_time) at time zone p_tz
  from public.availability_overrides o, overridden
  where overridden.yes and o.dentist_id = p_dentist_id and o.on_date = p_date and o.start_time is not null
  union all
  select (p_date + r.start_time) at time zone p_tz, (p_date + r.end_time) at time zone p_tz
  from public.availability_rules r, overridden
  where not overridden.yes and r.dentist_id = p_dentist_id and r.weekday = extract(dow from p_date)::smallint
$$;

create or replace function private.fits_availability(p_dentist_id uuid, p_tz text, p_period tstzrange)
returns boolean
language sql
stable
set search_path = ''
as $$
  select exists (
    select 1
    from private.dentist_windows(p_dentist_id, (lower(p_period) at time zone p_tz)::date, p_tz) w
    where p_period <@ tstzrange(w.window_start, w.window_end, '[)')
  ) and not exists (
    select 1 from public.time_off t
    where t.dentist_id = p_dentist_id
      and tstzrange(t.starts_local at time zone p_tz, t.ends_local at time zone p_tz, '[)') && p_period
  )
$$;

create or replace function private.buffered(p_period tstzrange, p_before integer, p_after integer)
returns tstzrange
language sql
stable
set search_path = ''
as $$
  select tstzrange(lower(p_period) - make_interval(mins => p_before), upper(p_period) + make_interval(mins => p_after), '[)')
$$;

-- slot_taken unless `p_blocked` is free on the dentist's calendar: no active appointment (other than
-- p_except_appointment) and no unexpired hold of anyone but p_holder / p_other_holder overlaps it.
-- Sweeps the dentist's expired holds first. Callers hold the dentist row lock.
create or replace function private.ensure_time_free(
  p_dentist_id uuid,
  p_blocked tstzrange,
  p_holder uuid,
  p_other_holder uuid default null,
  p_except_appointment uuid default null
)
returns void
language plpgsql
volatile
set search_path = ''
as $$
begin
  delete from public.slot_holds h where h.dentist_id = p_dentist_id and h.expires_at <= now();
  if exists (
    select 1 from public.appointments a
    where a.dentist_id = p_dentist_id and a.id is distinct from p_except_appointment
      and a.status in ('scheduled', 'confirmed', 'checked_in', 'in_chair', 'completed')
      and a.blocked_period && p_blocked
  ) or exists (
    select 1 from public.slot_holds h
    where h.dentist_id = p_dentist_id
      and h.held_by is distinct from p_holder and h.held_by is distinct from p_other_holder
      and h.expires_at > now() and h.blocked_period && p_blocked
  ) then
    perform private.fail('slot_taken', 'Sorry, someone else just took that time. Please pick another one.');
  end if;
end
$$;

-- in_past / too_soon / beyond_horizon. Staff may book at short notice and far ahead.
create or replace function private.check_start_time(p_clinic public.clinics, p_start timestamptz, p_is_staff boolean)
returns void
language plpgsql
stable
set search_path = ''
as $$
begin
  if p_start < now() then
    perform private.fail('in_past', 'That time has already passed. Please pick a later time.');
  end if;
  if p_is_staff then
    return;
  end if;
  if p_start < now() + make_interval(mins => p_clinic.min_notice_minutes) then
    perform private.fail('too_soon', format(
      'Online bookings need at least %s minutes'' notice. Please pick a later time or call the clinic.',
      p_clinic.min_notice_minutes));
  end if;
  if p_start >= now() + p_clinic.booking_horizon_days * interval '24 hours' then
    perform private.fail('beyond_horizon', format(
      'Bookings open %s days ahead. Please pick an earlier date.', p_clinic.booking_horizon_days));
  end if;
end
$$;

-- The caller as a member of a clinic, or not_allowed.
create or replace function private.require_member()
returns table (user_id uuid, role public.member_role, clinic_id uuid, dentist_id uuid)
language plpgsql
stable
set search_path = ''
as $$
begin
  return query select * from public.current_member() m where m.clinic_id is not null;
  if not found then
    perform private.fail('not_allowed', 'Please sign in with an account of this clinic.');
  end if;
end
$$;

-- scheduled → confirmed → checked_in → in_chair → completed; any active → cancelled, late_cancel,
-- no_show. Confirmation is optional: a scheduled patient can be checked in directly.
create or replace function private.is_allowed_transition(p_from public.appointment_status, p_to public.appointment_status)
returns boolean
language sql
immutable
set search_path = ''
as $$
  select case
    when p_from in ('scheduled', 'confirmed', 'checked_in', 'in_chair') and p_to in ('cancelled', 'late_cancel', 'no_show') then true
    when p_from = 'scheduled' then p_to in ('confirmed', 'checked_in')
    when p_from = 'confirmed' then p_to = 'checked_in'
    when p_from = 'checked_in' then p_to = 'in_chair'
    when p_from = 'in_chair' then p_to = 'completed'
    else false
  end
$$;

-- Appointment visible to (and actionable by) the member: own (patient), own calendar (dentist),
-- own clinic (admin).
create or replace function private.member_can_act_on(
  p_role public.member_role, p_user_id uuid, p_clinic_id uuid, p_dentist_id uuid, p_appointment public.appointments
)
returns boolean
language sql
immutable
set search_path = ''
as $$
  select case p_role
    when 'patient' then p_appointment.patient_id = p_user_id
    when 'dentist' then p_appointment.dentist_id = p_dentist_id
    when 'admin' then p_appointment.clinic_id = p_clinic_id
    else false
  end
$$;

-- ---------------------------------------------------------------------------------------------
-- The slot engine. p_now is a parameter so tests can freeze time; only public.available_slots
-- (which always passes now()) is reachable through the API.
-- ---------------------------------------------------------------------------------------------
-- Set-based: each dentist's busy time (other people's unexpired
-- holds and active appointments, both as blocked periods) and time off are aggregated ONCE into
-- multiranges, so each candidate start costs one `multirange && range` test instead of two
-- correlated subqueries over the appointments table. Measured on the benchmark clinic (20 dentists,
-- 30 days, a third booked): 10 s → tens of milliseconds.
--
-- A candidate [s, s + duration) of a service with buffers (b_before, b_after) is free when
--   * [s - b_before, s + duration + b_after) overlaps no busy range, and
--   * [s, s + duration) overlaps no time-off range (time off blocks the visit, not its buffers).
-- Worked example (Europe/London, 30-minute check-up, 10 min buffer after): an appointment blocked
-- 10:00–10:40 makes 09:30 (blocked 09:30–10:10) and 10:15 (10:15–10:55) unavailable, 10:45 free.
create or replace function private.compute_slots(
  p_clinic_id uuid,
  p_service_id uuid,
  p_dentist_id uuid,
  p_from timestamptz,
  p_to timestamptz,
  p_now timestamptz,
  p_viewer uuid default null
)
returns table (slot_start timestamptz, slot_end timestamptz, slot_dentist_id uuid, slot_dentist_name text)
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  v_clinic public.clinics;
  v_service public.services;
  v_lower timestamptz;
  v_upper timestamptz;
  v_duration interval;
  v_step interval;
  v_before interval;
  v_after interval;
  v_scope tstzrange;
begin
  if p_clinic_id is null or p_service_id is null or p_from is null or p_to is null or p_now is null then
    perform private.fail('invalid_input', 'A clinic, a service and a time range are required.');
  end if;
  if p_to <= p_from then
    perform private.fail('invalid_input', 'The end of the time range must be after its start.');
  end if;
  if p_to - p_from > interval '62 days' then
    perform private.fail('invalid_input', 'Please ask for at most 62 days of free times at once.');
  end if;
  select * into v_clinic from public.clinics c where c.id = p_clinic_id;
  if v_clinic.id is null then
    perform private.fail('not_found', 'We could not find that clinic.');
  end if;
  select * into v_service from public.services sv where sv.id = p_service_id and sv.clinic_id = p_clinic_id and sv.is_active;
  if v_service.id is null then
    perform private.fail('not_found', 'We could not find that treatment at this clinic.');
  end if;
  if p_dentist_id is not null and not exists (
    select 1 from public.dentists d where d.id = p_dentist_id and d.clinic_id = p_clinic_id and d.is_active
  ) then
    perform private.fail('not_found', 'We could not find that dentist at this clinic.');
  end if;

  v_lower := greatest(p_from, p_now + make_interval(mins => v_clinic.min_notice_minutes));
  v_upper := least(p_to, p_now + v_clinic.booking_horizon_days * interval '24 hours');
  if v_lower >= v_upper then
    return;
  end if;
  v_duration := make_interval(mins => v_service.duration_minutes);
  v_step := make_interval(mins => v_clinic.slot_interval_minutes);
  v_before := make_interval(mins => v_service.buffer_before_minutes);
  v_after := make_interval(mins => v_service.buffer_after_minutes);
  -- Everything that can touch a candidate starting in [v_lower, v_upper): widen by the visit and
  -- its buffers (a day on each side is more than any of them).
  v_scope := tstzrange(v_lower - interval '1 day', v_upper + interval '1 day', '[)');

  return query
  with dentist as (
    select d.id, d.display_name
    from public.dentists d
    join public.dentist_services ds on ds.dentist_id = d.id and ds.service_id = v_service.id
    where d.clinic_id = v_clinic.id and d.is_active and (p_dentist_id is null or d.id = p_dentist_id)
  ),
  local_day as (
    select g::date as day
    from generate_series(
      (v_lower at time zone v_clinic.timezone)::date,
      (v_upper at time zone v_clinic.timezone)::date,
      interval '1 day'
    ) g
  ),
  -- Working windows per dentist and local day: the date's overrides replace the weekly rules
  -- (an override without times is a day off), as private.dentist_windows defines them.
  window_local as (
    select dn.id as dentist_id, ld.day, o.start_time, o.end_time
    from dentist dn
    cross join local_day ld
    join public.availability_overrides o on o.dentist_id = dn.id and o.on_date = ld.day and o.start_time is not null
    union all
    select dn.id, ld.day, r.start_time, r.end_time
    from dentist dn
    cross join local_day ld
    join public.availability_rules r on r.dentist_id = dn.id and r.weekday = extract(dow from ld.day)::smallint
    where not exists (select 1 from public.availability_overrides o where o.dentist_id = dn.id and o.on_date = ld.day)
  ),
  busy as (
    select b.dentist_id, range_agg(b.blocked) as ranges
    from (
      select a.dentist_id, a.blocked_period as blocked
      from public.appointments a
      where a.dentist_id in (select id from dentist)
        and a.status in ('scheduled', 'confirmed', 'checked_in', 'in_chair', 'completed')
        and a.blocked_period && v_scope
      union all
      select h.dentist_id, h.blocked_period
      from public.slot_holds h
      where h.dentist_id in (select id from dentist)
        and h.expires_at > p_now
        and h.held_by is distinct from p_viewer
        and h.blocked_period && v_scope
    ) b
    group by b.dentist_id
  ),
  away as (
    select t.dentist_id,
           range_agg(tstzrange(t.starts_local at time zone v_clinic.timezone, t.ends_local at time zone v_clinic.timezone, '[)')) as ranges
    from public.time_off t
    where t.dentist_id in (select id from dentist)
      and t.ends_local >= (lower(v_scope) at time zone v_clinic.timezone)
    group by t.dentist_id
  ),
  candidate as (
    select w.dentist_id, st as cand_start, st + v_duration as cand_end
    from window_local w
    cross join lateral generate_series(
      (w.day + w.start_time) at time zone v_clinic.timezone,
      (w.day + w.end_time) at time zone v_clinic.timezone - v_duration,
      v_step
    ) st
  )
  select c.cand_start, c.cand_end, c.dentist_id, dn.display_name
  from candidate c
  join dentist dn on dn.id = c.dentist_id
  left join busy b on b.dentist_id = c.dentist_id
  left join away aw on aw.dentist_id = c.dentist_id
  where c.cand_start >= v_lower
    and c.cand_start < v_upper
    and (b.ranges is null or not (b.ranges && tstzrange(c.cand_start - v_before, c.cand_end + v_after, '[)')))
    and (aw.ranges is null or not (aw.ranges && tstzrange(c.cand_start, c.cand_end, '[)')))
  order by c.cand_start, dn.display_name, c.dentist_id;
end
$$;

-- ---------------------------------------------------------------------------------------------
-- available_slots: the public, anon-callable face of the slot engine.
-- ---------------------------------------------------------------------------------------------
create or replace function public.available_slots(
  p_clinic_id uuid,
  p_service_id uuid,
  p_dentist_id uuid default null,
  p_from timestamptz default null,
  p_to timestamptz default null
)
returns table ("start" timestamptz, "end" timestamptz, dentist_id uuid, dentist_name text)
language sql
stable
security definer
set search_path = ''
as $$
  select s.slot_start, s.slot_end, s.slot_dentist_id, s.slot_dentist_name
  from private.compute_slots(
    p_clinic_id,
    p_service_id,
    p_dentist_id,
    coalesce(p_from, now()),
    coalesce(p_to, coalesce(p_from, now()) + interval '7 days'),
    now(),
    auth.uid()
  ) s
$$;
comment on function public.available_slots(uuid, uuid, uuid, timestamptz, timestamptz) is
  'Free start times for a service (any dentist when p_dentist_id is null) in [p_from, p_to) (default: the next 7 days), honouring availability, time off, buffers, appointments, other people''s holds, minimum notice and horizon. Callable by anyone.';

-- ---------------------------------------------------------------------------------------------
-- hold_slot
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

  perform 1 from public.dentists d where d.id = p_dentist_id for no key update;

  v_period := tstzrange(p_starts_at, p_starts_at + make_interval(mins => v_service.duration_minutes), '[)');
  v_blocked := private.buffered(v_period, v_service.buffer_before_minutes, v_service.buffer_after_minutes);
  if not private.fits_availability(p_dentist_id, v_clinic.timezone, v_period) then
    perform private.fail('outside_availability', 'The dentist is not working at that time. Please pick one of the offered times.');
  end if;
  perform private.ensure_time_free(p_dentist_id, v_blocked, v_me.user_id);

  delete from public.slot_holds h where h.held_by = v_me.user_id;
  insert into public.slot_holds (clinic_id, dentist_id, service_id, held_by, period, blocked_period, expires_at)
  values (v_me.clinic_id, p_dentist_id, p_service_id, v_me.user_id, v_period, v_blocked,
          now() + make_interval(mins => v_clinic.hold_minutes))
  returning * into v_hold;
  return v_hold;
end
$$;
comment on function public.hold_slot(uuid, uuid, timestamptz) is
  'Reserve a start time for clinics.hold_minutes while the caller completes the booking; replaces the caller''s previous hold.';

-- ---------------------------------------------------------------------------------------------
-- release_hold: idempotent; true when a hold was removed. Admins may release any hold of their clinic.
-- ---------------------------------------------------------------------------------------------
create or replace function public.release_hold(p_hold_id uuid default null)
returns boolean
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
  v_me record;
begin
  select * into v_me from private.require_member();
  delete from public.slot_holds h
  where (p_hold_id is null or h.id = p_hold_id)
    and (h.held_by = v_me.user_id or (p_hold_id is not null and v_me.role = 'admin' and h.clinic_id = v_me.clinic_id));
  return found;
end
$$;

-- ---------------------------------------------------------------------------------------------
-- book_appointment
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

  -- Serialise with every other booking/hold for this dentist before checking anything.
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
comment on function public.book_appointment(uuid, uuid, timestamptz, uuid, uuid, public.appointment_source, text, text) is
  'Book a visit: patients for themselves (portal/chatbot), staff for any patient of their clinic. Pass p_hold_id to book a held time, p_idempotency_key to make retries safe. Releases the caller''s hold.';

-- ---------------------------------------------------------------------------------------------
-- cancel_appointment
-- ---------------------------------------------------------------------------------------------
create or replace function public.cancel_appointment(
  p_appointment_id uuid,
  p_reason text default null,
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
  v_cutoff integer;
begin
  select * into v_me from private.require_member();
  if p_appointment_id is null then
    perform private.fail('invalid_input', 'Choose the appointment to cancel.');
  end if;
  if p_reason is not null and length(p_reason) > 500 then
    perform private.fail('invalid_input', 'The reason can be at most 500 characters.');
  end if;
  select * into v_appointment from public.appointments a where a.id = p_appointment_id for update;
  if v_appointment.id is null
     or not private.member_can_act_on(v_me.role, v_me.user_id, v_me.clinic_id, v_me.dentist_id, v_appointment) then
    perform private.fail('not_found', 'We could not find that appointment.');
  end if;
  if p_expected_version is not null and v_appointment.version <> p_expected_version then
    perform private.fail('stale_version', 'This appointment was changed by someone else. Please reload and try again.');
  end if;
  if not private.is_allowed_transition(v_appointment.status, 'cancelled') then
    perform private.fail('invalid_transition', format('This appointment is already %s.', replace(v_appointment.status::text, '_', ' ')));
  end if;
  if v_me.role = 'patient' then
    if v_appointment.status not in ('scheduled', 'confirmed') then
      perform private.fail('not_allowed', 'Your visit has already started. Please speak to the front desk.');
    end if;
    if v_appointment.starts_at <= now() then
      perform private.fail('in_past', 'This appointment has already started. Please call the clinic.');
    end if;
  end if;

  select c.cancellation_cutoff_hours into v_cutoff from public.clinics c where c.id = v_appointment.clinic_id;
  update public.appointments a
  set status = case when now() > a.starts_at - make_interval(hours => v_cutoff) then 'late_cancel' else 'cancelled' end::public.appointment_status,
      cancel_reason = p_reason
  where a.id = v_appointment.id
  returning * into v_appointment;
  return v_appointment;
end
$$;
comment on function public.cancel_appointment(uuid, text, integer) is
  'Cancel a visit (late_cancel inside clinics.cancellation_cutoff_hours). Patients: own, not yet started.';

-- ---------------------------------------------------------------------------------------------
-- reschedule_appointment: moves the same row (same id, version + 1) atomically.
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

  -- Lock both calendars in a fixed order (no deadlock between two opposite moves), then the row.
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
comment on function public.reschedule_appointment(uuid, timestamptz, uuid, integer) is
  'Move a scheduled/confirmed visit to a new time (and optionally another dentist) in one step; it becomes scheduled again.';

-- ---------------------------------------------------------------------------------------------
-- set_appointment_status
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
begin
  select * into v_me from private.require_member();
  if p_appointment_id is null or p_status is null or p_expected_version is null then
    perform private.fail('invalid_input', 'Choose the appointment, the new status and the version you saw.');
  end if;
  if p_status = 'cancelled' then
    return public.cancel_appointment(p_appointment_id, null, p_expected_version);
  end if;
  select * into v_appointment from public.appointments a where a.id = p_appointment_id for update;
  if v_appointment.id is null
     or not private.member_can_act_on(v_me.role, v_me.user_id, v_me.clinic_id, v_me.dentist_id, v_appointment) then
    perform private.fail('not_found', 'We could not find that appointment.');
  end if;
  if v_appointment.version <> p_expected_version then
    perform private.fail('stale_version', 'This appointment was changed by someone else. Please reload and try again.');
  end if;
  if v_me.role = 'patient' and p_status <> 'confirmed' then
    perform private.fail('not_allowed', 'Patients can only confirm or cancel their appointments.');
  end if;
  if not private.is_allowed_transition(v_appointment.status, p_status) then
    perform private.fail('invalid_transition', format('An appointment that is %s cannot become %s.',
      replace(v_appointment.status::text, '_', ' '), replace(p_status::text, '_', ' ')));
  end if;
  update public.appointments a set status = p_status where a.id = v_appointment.id returning * into v_appointment;
  return v_appointment;
end
$$;
comment on function public.set_appointment_status(uuid, public.appointment_status, integer) is
  'Move a visit along its workflow (see private.is_allowed_transition); p_expected_version guards against overwriting someone else''s change.';

-- ---------------------------------------------------------------------------------------------
-- Privileges: the writing RPCs need a signed-in member; only available_slots is open to anon.
-- ---------------------------------------------------------------------------------------------
revoke all on function public.available_slots(uuid, uuid, uuid, timestamptz, timestamptz) from public;
grant execute on function public.available_slots(uuid, uuid, uuid, timestamptz, timestamptz) to anon, authenticated, service_role;

revoke all on function public.hold_slot(uuid, uuid, timestamptz) from public, anon;
revoke all on function public.release_hold(uuid) from public, anon;
revoke all on function public.book_appointment(uuid, uuid, timestamptz, uuid, uuid, public.appointment_source, text, text) from public, anon;
revoke all on function public.cancel_appointment(uuid, text, integer) from public, anon;
revoke all on function public.reschedule_appointment(uuid, timestamptz, uuid, integer) from public, anon;
revoke all on function public.set_appointment_status(uuid, public.appointment_status, integer) from public, anon;
grant execute on function public.hold_slot(uuid, uuid, timestamptz) to authenticated, service_role;
grant execute on function public.release_hold(uuid) to authenticated, service_role;
grant execute on function public.book_appointment(uuid, uuid, timestamptz, uuid, uuid, public.appointment_source, text, text) to authenticated, service_role;
grant execute on function public.cancel_appointment(uuid, text, integer) to authenticated, service_role;
grant execute on function public.reschedule_appointment(uuid, timestamptz, uuid, integer) to authenticated, service_role;
grant execute on function public.set_appointment_status(uuid, public.appointment_status, integer) to authenticated, service_role;

-- Nothing in `private` is callable by API roles (the schema is not usable by them either).
revoke execute on all functions in schema private from public;
alter default privileges in schema private revoke execute on functions from public;

-- Busy-time lookups above filter holds by dentist and overlap; give them an index like the
-- appointments' exclusion constraint gives theirs.
create index if not exists slot_holds_dentist_blocked_idx on public.slot_holds using gist (dentist_id, blocked_period);
