-- Broadcast from the database to private Realtime topics, and the policies on realtime.messages
-- that decide who may join which topic.
--
-- Topics (names and event names mirrored in lib/domain/realtime.ts):
--   clinic:<clinic_id>:schedule        admins of the clinic          appointment_changed, hold_changed, availability_changed
--   dentist:<dentist_id>:schedule      that dentist, clinic admins   appointment_changed, hold_changed, availability_changed
--   patient:<user_id>:appointments     that patient, clinic admins   appointment_changed
--   clinic:<clinic_id>:availability    anyone, anon included         slots_changed {dentist_id, from, to} — no patient data
--   clinic:<clinic_id>:staff           admins and dentists           client presence / broadcast (soft locks)
--
-- Every message is sent with private = true (realtime.send's default), so it reaches only
-- subscribers of a *private* channel that passed the read policy. An anonymous chatbot joins the
-- availability topic as a private channel with the anon key: the policy below lets role anon read it.
--
-- Payloads are small: ids, times, status, version. Never notes, names or reasons.

-- Trigger functions run as their owner, so the insert into realtime.messages works whoever made
-- the change (a patient through an RPC, service_role, the seed).
create or replace function private.broadcast_appointment_change()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_new public.appointments := case when tg_op = 'DELETE' then null else new end;
  v_old public.appointments := case when tg_op = 'INSERT' then null else old end;
  v_row public.appointments := coalesce(v_new, v_old);
  v_payload jsonb;
  v_was_blocking boolean := v_old.id is not null and private.is_blocking_status(v_old.status);
  v_is_blocking boolean := v_new.id is not null and private.is_blocking_status(v_new.status);
begin
  v_payload := jsonb_build_object(
    'operation', tg_op,
    'id', v_row.id,
    'clinic_id', v_row.clinic_id,
    'dentist_id', v_row.dentist_id,
    'patient_id', v_row.patient_id,
    'service_id', v_row.service_id,
    'status', v_row.status,
    'source', v_row.source,
    'version', v_row.version,
    'starts_at', v_row.starts_at,
    'ends_at', v_row.ends_at,
    'old', case when v_old.id is not null and v_new.id is not null then jsonb_build_object(
      'dentist_id', v_old.dentist_id, 'status', v_old.status, 'starts_at', v_old.starts_at, 'ends_at', v_old.ends_at
    ) end
  );
  perform realtime.send(v_payload, 'appointment_changed', format('clinic:%s:schedule', v_row.clinic_id));
  perform realtime.send(v_payload, 'appointment_changed', format('dentist:%s:schedule', v_row.dentist_id));
  if v_old.id is not null and v_new.id is not null and v_old.dentist_id <> v_new.dentist_id then
    perform realtime.send(v_payload, 'appointment_changed', format('dentist:%s:schedule', v_old.dentist_id));
  end if;
  perform realtime.send(v_payload, 'appointment_changed', format('patient:%s:appointments', v_row.patient_id));

  -- Free time changes only when the occupied range or "occupies time at all" changes.
  if v_was_blocking and (not v_is_blocking or v_old.dentist_id <> v_new.dentist_id or v_old.blocked_period <> v_new.blocked_period) then
    perform realtime.send(
      jsonb_build_object('dentist_id', v_old.dentist_id, 'from', lower(v_old.blocked_period), 'to', upper(v_old.blocked_period)),
      'slots_changed', format('clinic:%s:availability', v_row.clinic_id));
  end if;
  if v_is_blocking and (not v_was_blocking or v_old.dentist_id <> v_new.dentist_id or v_old.blocked_period <> v_new.blocked_period) then
    perform realtime.send(
      jsonb_build_object('dentist_id', v_new.dentist_id, 'from', lower(v_new.blocked_period), 'to', upper(v_new.blocked_period)),
      'slots_changed', format('clinic:%s:availability', v_row.clinic_id));
  end if;
  return null;
end
$$;

create trigger appointments_broadcast
after insert or update or delete on public.appointments
for each row execute function private.broadcast_appointment_change();

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
    'held_by', v_row.held_by,
    'starts_at', v_row.starts_at,
    'ends_at', v_row.ends_at,
    'expires_at', v_row.expires_at
  );
  perform realtime.send(v_payload, 'hold_changed', format('clinic:%s:schedule', v_row.clinic_id));
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

create trigger slot_holds_broadcast
after insert or update or delete on public.slot_holds
for each row execute function private.broadcast_hold_change();

create or replace function private.broadcast_availability_change()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_row jsonb := to_jsonb(coalesce(new, old));
  v_clinic uuid := (v_row ->> 'clinic_id')::uuid;
  v_dentist uuid := (v_row ->> 'dentist_id')::uuid;
  v_tz text;
  v_from timestamptz;
  v_to timestamptz;
begin
  select c.timezone into v_tz from public.clinics c where c.id = v_clinic;
  -- Weekly rules affect every future week: from/to null means "any time".
  if tg_table_name = 'availability_overrides' then
    v_from := ((v_row ->> 'on_date')::date + time '00:00') at time zone v_tz;
    v_to := ((v_row ->> 'on_date')::date + 1 + time '00:00') at time zone v_tz;
  elsif tg_table_name = 'time_off' then
    v_from := least((v_row ->> 'starts_local')::timestamp, (to_jsonb(old) ->> 'starts_local')::timestamp) at time zone v_tz;
    v_to := greatest((v_row ->> 'ends_local')::timestamp, (to_jsonb(old) ->> 'ends_local')::timestamp) at time zone v_tz;
  end if;
  perform realtime.send(
    jsonb_build_object('operation', tg_op, 'table', tg_table_name, 'id', v_row ->> 'id', 'dentist_id', v_dentist, 'from', v_from, 'to', v_to),
    'availability_changed', format('clinic:%s:schedule', v_clinic));
  perform realtime.send(
    jsonb_build_object('operation', tg_op, 'table', tg_table_name, 'id', v_row ->> 'id', 'dentist_id', v_dentist, 'from', v_from, 'to', v_to),
    'availability_changed', format('dentist:%s:schedule', v_dentist));
  perform realtime.send(
    jsonb_build_object('dentist_id', v_dentist, 'from', v_from, 'to', v_to),
    'slots_changed', format('clinic:%s:availability', v_clinic));
  return null;
end
$$;

create trigger availability_rules_broadcast
after insert or update or delete on public.availability_rules
for each row execute function private.broadcast_availability_change();

create trigger availability_overrides_broadcast
after insert or update or delete on public.availability_overrides
for each row execute function private.broadcast_availability_change();

create trigger time_off_broadcast
after insert or update or delete on public.time_off
for each row execute function private.broadcast_availability_change();

-- ---------------------------------------------------------------------------------------------
-- Who may join / send on a topic. Parses defensively: anything that is not exactly
-- "<kind>:<uuid>:<channel>" with a well-formed uuid is simply not allowed (never an error).
-- ---------------------------------------------------------------------------------------------
create or replace function public.can_use_realtime_topic(p_topic text, p_extension text, p_write boolean)
returns boolean
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  v_parts text[];
  v_id uuid;
  v_me record;
begin
  if p_topic is null or length(p_topic) > 200 then
    return false;
  end if;
  v_parts := string_to_array(p_topic, ':');
  if coalesce(array_length(v_parts, 1), 0) <> 3
     or v_parts[2] !~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' then
    return false;
  end if;
  v_id := v_parts[2]::uuid;
  select * into v_me from public.current_member() m;

  if v_parts[1] = 'clinic' and v_parts[3] = 'availability' then
    return not p_write and p_extension = 'broadcast'
      and exists (select 1 from public.clinics c where c.id = v_id);
  elsif v_parts[1] = 'clinic' and v_parts[3] = 'staff' then
    return p_extension in ('broadcast', 'presence')
      and v_me.role in ('admin', 'dentist') and v_me.clinic_id = v_id;
  elsif p_write or p_extension <> 'broadcast' or v_me.user_id is null then
    return false;
  elsif v_parts[1] = 'clinic' and v_parts[3] = 'schedule' then
    return v_me.role = 'admin' and v_me.clinic_id = v_id;
  elsif v_parts[1] = 'dentist' and v_parts[3] = 'schedule' then
    return (v_me.role = 'dentist' and v_me.dentist_id = v_id)
      or (v_me.role = 'admin' and exists (select 1 from public.dentists d where d.id = v_id and d.clinic_id = v_me.clinic_id));
  elsif v_parts[1] = 'patient' and v_parts[3] = 'appointments' then
    return v_me.user_id = v_id
      or (v_me.role = 'admin' and exists (select 1 from public.profiles p where p.id = v_id and p.clinic_id = v_me.clinic_id));
  end if;
  return false;
end
$$;
comment on function public.can_use_realtime_topic(text, text, boolean) is
  'Whether the caller may read (p_write = false) or send (true) `broadcast`/`presence` on a Realtime topic; used by the policies on realtime.messages.';
revoke all on function public.can_use_realtime_topic(text, text, boolean) from public;
grant execute on function public.can_use_realtime_topic(text, text, boolean) to anon, authenticated, service_role;

create policy "Members can receive the topics they are entitled to"
on realtime.messages for select
to anon, authenticated
using (public.can_use_realtime_topic((select realtime.topic()), extension, false));

create policy "Staff can share presence and broadcasts on their clinic staff topic"
on realtime.messages for insert
to authenticated
with check (public.can_use_realtime_topic((select realtime.topic()), extension, true));
