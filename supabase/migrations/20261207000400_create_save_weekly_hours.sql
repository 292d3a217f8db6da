-- save_weekly_hours: the dentist's weekly hours replaced in one transaction.
--
-- The editor used to delete the changed rows and insert the new ones as two requests from the
-- browser, putting the deleted rows back when the insert failed. A lost connection or a closed tab
-- between the two left a dentist without hours on some days. This RPC does both in one statement
-- run: either the whole new week is saved or nothing changes.
--
-- Who may call it: exactly who the RLS policies on availability_rules let write (the dentist
-- themself, or an admin of the dentist's clinic). It is security definer only so the checks and
-- writes happen in one place; it decides through public.current_member() like every policy does.
--
-- Rows whose window did not change stay as they are (same id, no realtime event, no activity
-- entry); removed windows are deleted and new ones inserted, one row at a time, so the per-row
-- realtime and activity triggers on availability_rules fire as before.
--
-- New error code (lib/domain/errors.ts): overlapping_hours.

-- A dentist rarely needs more than 8 windows a day (MAX_WINDOWS_PER_DAY in the editor).
create or replace function private.max_weekly_windows()
returns integer
language sql
immutable
set search_path = ''
as $$
  select 7 * 8
$$;

create or replace function public.save_weekly_hours(p_dentist_id uuid, p_windows jsonb)
returns void
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
  v_member record;
  v_dentist public.dentists;
  v_window jsonb;
  v_weekday integer;
  v_start time;
  v_end time;
  v_weekdays smallint[] := '{}';
  v_starts time[] := '{}';
  v_ends time[] := '{}';
  v_overlap record;
begin
  if p_dentist_id is null or p_windows is null or jsonb_typeof(p_windows) <> 'array' then
    perform private.fail('invalid_input', 'A dentist and a list of weekly windows are required.');
  end if;
  if jsonb_array_length(p_windows) > private.max_weekly_windows() then
    perform private.fail('invalid_input', format(
      'A week can have at most %s windows.', private.max_weekly_windows()));
  end if;

  select m.role, m.clinic_id, m.dentist_id into v_member from public.current_member() m;
  if v_member.role is null then
    perform private.fail('not_allowed', 'Please sign in as the dentist or an admin of the clinic.');
  end if;
  select * into v_dentist from public.dentists d where d.id = p_dentist_id;
  -- Same rule as the write policies of availability_rules; a dentist of another clinic is "not
  -- allowed" rather than "not found" so the answer does not reveal which dentists exist.
  if v_dentist.id is null
    or not (
      (v_member.role = 'admin' and v_member.clinic_id = v_dentist.clinic_id)
      or (v_member.role = 'dentist' and v_member.dentist_id = v_dentist.id)
    ) then
    perform private.fail('not_allowed', 'You can change only your own hours.');
  end if;

  for v_window in select * from jsonb_array_elements(p_windows) loop
    if jsonb_typeof(v_window) is distinct from 'object'
      or jsonb_typeof(v_window -> 'weekday') is distinct from 'number'
      or jsonb_typeof(v_window -> 'starts_at') is distinct from 'string'
      or jsonb_typeof(v_window -> 'ends_at') is distinct from 'string' then
      perform private.fail('invalid_input',
        'Every window needs a weekday (0 = Sunday … 6 = Saturday), a start and an end.');
    end if;
    if (v_window ->> 'weekday') !~ '^[0-6]$' then
      perform private.fail('invalid_input', 'The weekday must be a whole number from 0 (Sunday) to 6 (Saturday).');
    end if;
    -- HH:MM or HH:MM:SS, clinic local wall-clock time; 24:00 ends a day.
    if (v_window ->> 'starts_at') !~ '^([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9])?$'
      or (v_window ->> 'ends_at') !~ '^(([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9])?|24:00(:00)?)$' then
      perform private.fail('invalid_input', 'Enter every time as HH:MM (the end may be 24:00).');
    end if;
    v_weekday := (v_window ->> 'weekday')::integer;
    v_start := (v_window ->> 'starts_at')::time;
    v_end := (v_window ->> 'ends_at')::time;
    if v_start >= v_end then
      perform private.fail('invalid_input', format(
        'A window must end after it starts (%s to %s).', to_char(v_start, 'HH24:MI'), to_char(v_end, 'HH24:MI')));
    end if;
    v_weekdays := v_weekdays || v_weekday::smallint;
    v_starts := v_starts || v_start;
    v_ends := v_ends || v_end;
  end loop;

  with input as (
    select * from unnest(v_weekdays, v_starts, v_ends) with ordinality as w(weekday, start_time, end_time, n)
  )
  select a.weekday, a.start_time, a.end_time into v_overlap
  from input a
  join input b
    on a.weekday = b.weekday and a.n <> b.n and a.start_time < b.end_time and b.start_time < a.end_time
  limit 1;
  if found then
    perform private.fail('overlapping_hours', format(
      'Two windows on the same day overlap (one of them is %s to %s).',
      to_char(v_overlap.start_time, 'HH24:MI'), to_char(v_overlap.end_time, 'HH24:MI')));
  end if;

  -- Serialises concurrent saves of one dentist (the second one sees the first one's rows).
  perform 1 from public.dentists d where d.id = v_dentist.id for no key update;

  -- Deletes first: with the removed windows gone no insert can collide with an old window.
  delete from public.availability_rules r
  where r.dentist_id = v_dentist.id
    and not exists (
      select 1 from unnest(v_weekdays, v_starts, v_ends) as i(weekday, start_time, end_time)
      where i.weekday = r.weekday and i.start_time = r.start_time and i.end_time = r.end_time
    );
  insert into public.availability_rules (clinic_id, dentist_id, weekday, start_time, end_time)
  select v_dentist.clinic_id, v_dentist.id, i.weekday, i.start_time, i.end_time
  from unnest(v_weekdays, v_starts, v_ends) as i(weekday, start_time, end_time)
  where not exists (
    select 1 from public.availability_rules r
    where r.dentist_id = v_dentist.id
      and r.weekday = i.weekday and r.start_time = i.start_time and r.end_time = i.end_time
  )
  order by i.weekday, i.start_time;
end
$$;
comment on function public.save_weekly_hours(uuid, jsonb) is
  'Replaces a dentist''s weekly hours (availability_rules) in one transaction. p_windows: jsonb array of {weekday 0-6, starts_at "HH:MM", ends_at "HH:MM" (24:00 allowed)} in clinic local time, no overlaps within a weekday. Callable by the dentist themself and admins of their clinic. Raises invalid_input, overlapping_hours, not_allowed.';

revoke all on function public.save_weekly_hours(uuid, jsonb) from public, anon;
grant execute on function public.save_weekly_hours(uuid, jsonb) to authenticated, service_role;
revoke all on function private.max_weekly_windows() from public;
