-- The clinic's weekly opening hours for anyone (the public chatbot reads "tomorrow afternoon"
-- against them). availability_rules stay staff-only under RLS; this exposes only the union of the
-- active dentists' weekly windows per weekday — no dentist, no patient, no appointment data.
-- Date overrides and time off are not opening hours; available_slots applies them.
--
-- Example: Lee works Mon 09:00–12:00 and 13:00–17:00, Garcia Mon 12:00–18:00
--   → Monday opens 09:00–18:00 (touching and overlapping windows merge).

create or replace function public.clinic_opening_hours(p_clinic_id uuid)
returns table (weekday smallint, opens_at time, closes_at time)
language sql
stable
security definer
set search_path = ''
as $$
  -- Windows as ranges on one fixed day so range_agg merges them; '24:00' maps to the next midnight.
  select w.weekday, lower(m.span)::time, case when upper(m.span)::date > date '2000-01-01' then time '24:00' else upper(m.span)::time end
  from (
    select r.weekday, range_agg(tsrange(date '2000-01-01' + r.start_time, date '2000-01-01' + r.end_time, '[)')) as spans
    from public.availability_rules r
    join public.dentists d on d.id = r.dentist_id and d.is_active
    where r.clinic_id = p_clinic_id
    group by r.weekday
  ) w
  cross join lateral unnest(w.spans) as m(span)
  order by 1, 2
$$;
comment on function public.clinic_opening_hours(uuid) is
  'Weekly opening hours of a clinic (union of its active dentists'' weekly windows, clinic local time; weekday 0 = Sunday). Callable by anyone.';
grant execute on function public.clinic_opening_hours(uuid) to anon, authenticated, service_role;
