-- Demo data for local development: one clinic, 2 admins, 3 dentists, 4 services, 6 patients and
-- appointments spread over the next 14 days (relative to when the seed runs).
-- Every login's password is `password123` (listed in lib/domain/demo-logins.ts).
-- Safe to run more than once: fixed ids + "on conflict do nothing"; appointments only when the
-- clinic has none.

-- ---------------------------------------------------------------------------------------------
-- Clinic and services
-- ---------------------------------------------------------------------------------------------
insert into public.clinics (id, name, timezone, slot_interval_minutes, min_notice_minutes, booking_horizon_days, hold_minutes, cancellation_cutoff_hours)
values ('c1000000-0000-4000-8000-000000000001', 'Bright Smile Dental', 'Europe/London', 15, 120, 90, 5, 24)
on conflict (id) do nothing;

insert into public.services (id, clinic_id, name, description, duration_minutes, buffer_before_minutes, buffer_after_minutes)
values
  ('5e000000-0000-4000-8000-000000000001', 'c1000000-0000-4000-8000-000000000001', 'Check-up', 'Routine examination with X-rays if needed.', 30, 0, 5),
  ('5e000000-0000-4000-8000-000000000002', 'c1000000-0000-4000-8000-000000000001', 'Cleaning', 'Scale and polish by your dentist.', 45, 0, 10),
  ('5e000000-0000-4000-8000-000000000003', 'c1000000-0000-4000-8000-000000000001', 'Filling', 'Tooth-coloured composite filling.', 60, 5, 10),
  ('5e000000-0000-4000-8000-000000000004', 'c1000000-0000-4000-8000-000000000001', 'Whitening', 'In-chair whitening session.', 90, 10, 15)
on conflict (id) do nothing;

-- ---------------------------------------------------------------------------------------------
-- Logins. GoTrue reads the token columns as strings, so they must be '' rather than NULL.
-- ---------------------------------------------------------------------------------------------
with demo (id, email, full_name) as (
  values
    ('a0000000-0000-4000-8000-000000000001'::uuid, 'admin@demo.clinic', 'Alex Morgan'),
    ('a0000000-0000-4000-8000-000000000002'::uuid, 'frontdesk@demo.clinic', 'Sam Patel'),
    ('d0000000-0000-4000-8000-000000000001'::uuid, 'dr.lee@demo.clinic', 'Dr. Jordan Lee'),
    ('d0000000-0000-4000-8000-000000000002'::uuid, 'dr.garcia@demo.clinic', 'Dr. Maria Garcia'),
    ('d0000000-0000-4000-8000-000000000003'::uuid, 'dr.okafor@demo.clinic', 'Dr. Chidi Okafor'),
    ('b0000000-0000-4000-8000-000000000001'::uuid, 'patient@demo.clinic', 'Emma Wilson'),
    ('b0000000-0000-4000-8000-000000000002'::uuid, 'liam@demo.clinic', 'Liam Johnson'),
    ('b0000000-0000-4000-8000-000000000003'::uuid, 'olivia@demo.clinic', 'Olivia Brown'),
    ('b0000000-0000-4000-8000-000000000004'::uuid, 'noah@demo.clinic', 'Noah Davies'),
    ('b0000000-0000-4000-8000-000000000005'::uuid, 'ava@demo.clinic', 'Ava Thompson'),
    ('b0000000-0000-4000-8000-000000000006'::uuid, 'ethan@demo.clinic', 'Ethan Clarke')
), inserted as (
  insert into auth.users (
    instance_id, id, aud, role, email, encrypted_password, email_confirmed_at,
    raw_app_meta_data, raw_user_meta_data, created_at, updated_at,
    confirmation_token, recovery_token, email_change_token_new, email_change
  )
  select
    '00000000-0000-0000-0000-000000000000', d.id, 'authenticated', 'authenticated', d.email,
    extensions.crypt('password123', extensions.gen_salt('bf')), now(),
    '{"provider":"email","providers":["email"]}'::jsonb,
    jsonb_build_object('full_name', d.full_name, 'clinic_id', 'c1000000-0000-4000-8000-000000000001', 'email_verified', true),
    now(), now(), '', '', '', ''
  from demo d
  on conflict (id) do nothing
  returning id, email
)
insert into auth.identities (provider_id, user_id, identity_data, provider, last_sign_in_at, created_at, updated_at)
select i.id::text, i.id,
       jsonb_build_object('sub', i.id::text, 'email', i.email, 'email_verified', true, 'phone_verified', false),
       'email', now(), now(), now()
from inserted i
on conflict (provider_id, provider) do nothing;

-- The sign-up trigger made everyone a patient of the clinic; promote the staff.
update public.profiles set role = 'admin'
where id in ('a0000000-0000-4000-8000-000000000001', 'a0000000-0000-4000-8000-000000000002');
update public.profiles set role = 'dentist'
where id in ('d0000000-0000-4000-8000-000000000001', 'd0000000-0000-4000-8000-000000000002', 'd0000000-0000-4000-8000-000000000003');

insert into public.dentists (id, clinic_id, profile_id, display_name, bio)
values
  ('de000000-0000-4000-8000-000000000001', 'c1000000-0000-4000-8000-000000000001', 'd0000000-0000-4000-8000-000000000001', 'Dr. Jordan Lee', 'General dentistry and cosmetic whitening.'),
  ('de000000-0000-4000-8000-000000000002', 'c1000000-0000-4000-8000-000000000001', 'd0000000-0000-4000-8000-000000000002', 'Dr. Maria Garcia', 'Family dentistry; early starts and Saturday mornings.'),
  ('de000000-0000-4000-8000-000000000003', 'c1000000-0000-4000-8000-000000000001', 'd0000000-0000-4000-8000-000000000003', 'Dr. Chidi Okafor', 'Hygiene and whitening; evening appointments.')
on conflict (id) do nothing;

insert into public.dentist_services (clinic_id, dentist_id, service_id)
select 'c1000000-0000-4000-8000-000000000001', d, s
from (values
  ('de000000-0000-4000-8000-000000000001'::uuid, '5e000000-0000-4000-8000-000000000001'::uuid),
  ('de000000-0000-4000-8000-000000000001', '5e000000-0000-4000-8000-000000000002'),
  ('de000000-0000-4000-8000-000000000001', '5e000000-0000-4000-8000-000000000003'),
  ('de000000-0000-4000-8000-000000000001', '5e000000-0000-4000-8000-000000000004'),
  ('de000000-0000-4000-8000-000000000002', '5e000000-0000-4000-8000-000000000001'),
  ('de000000-0000-4000-8000-000000000002', '5e000000-0000-4000-8000-000000000002'),
  ('de000000-0000-4000-8000-000000000002', '5e000000-0000-4000-8000-000000000003'),
  ('de000000-0000-4000-8000-000000000003', '5e000000-0000-4000-8000-000000000001'),
  ('de000000-0000-4000-8000-000000000003', '5e000000-0000-4000-8000-000000000002'),
  ('de000000-0000-4000-8000-000000000003', '5e000000-0000-4000-8000-000000000004')
) as pairs (d, s)
on conflict do nothing;

-- ---------------------------------------------------------------------------------------------
-- Weekly patterns (0 = Sunday): Lee Mon/Tue/Thu/Fri with a lunch break (Wednesday off);
-- Garcia early Mon–Thu plus Saturday morning (Friday off); Okafor late Tue–Fri (Monday off).
-- ---------------------------------------------------------------------------------------------
insert into public.availability_rules (clinic_id, dentist_id, weekday, start_time, end_time)
select 'c1000000-0000-4000-8000-000000000001', r.dentist_id, r.weekday, r.start_time, r.end_time
from (
  select 'de000000-0000-4000-8000-000000000001'::uuid as dentist_id, w::smallint as weekday, t.s::time as start_time, t.e::time as end_time
  from unnest(array[1, 2, 4, 5]) w, (values ('09:00', '12:30'), ('13:30', '17:00')) t (s, e)
  union all
  select 'de000000-0000-4000-8000-000000000002', w::smallint, t.s::time, t.e::time
  from unnest(array[1, 2, 3, 4]) w, (values ('08:00', '12:00'), ('13:00', '16:00')) t (s, e)
  union all
  select 'de000000-0000-4000-8000-000000000002', 6, '09:00', '13:00'
  union all
  select 'de000000-0000-4000-8000-000000000003', w::smallint, t.s::time, t.e::time
  from unnest(array[2, 3, 4, 5]) w, (values ('10:00', '14:00'), ('15:00', '19:00')) t (s, e)
) r
where not exists (select 1 from public.availability_rules x where x.dentist_id = r.dentist_id);

-- A closed day for Dr. Garcia and a shorter day for Dr. Lee next week; Dr. Okafor's afternoon off.
insert into public.availability_overrides (clinic_id, dentist_id, on_date, start_time, end_time, note)
select 'c1000000-0000-4000-8000-000000000001', o.dentist_id, o.on_date, o.start_time, o.end_time, o.note
from (values
  ('de000000-0000-4000-8000-000000000002'::uuid, ((now() at time zone 'Europe/London')::date + 6), null::time, null::time, 'Training day'),
  ('de000000-0000-4000-8000-000000000001'::uuid, ((now() at time zone 'Europe/London')::date + 8), '10:00'::time, '14:00'::time, 'Short day')
) as o (dentist_id, on_date, start_time, end_time, note)
where not exists (select 1 from public.availability_overrides x where x.clinic_id = 'c1000000-0000-4000-8000-000000000001');

insert into public.time_off (clinic_id, dentist_id, starts_local, ends_local, reason)
select 'c1000000-0000-4000-8000-000000000001', 'de000000-0000-4000-8000-000000000003',
       (now() at time zone 'Europe/London')::date + 10 + time '14:00',
       (now() at time zone 'Europe/London')::date + 11,
       'Conference'
where not exists (select 1 from public.time_off x where x.clinic_id = 'c1000000-0000-4000-8000-000000000001');

-- ---------------------------------------------------------------------------------------------
-- Appointments over the next 14 days: a few free slots per dentist per day, picked from the slot
-- engine so they respect availability, buffers and each other. They also obey the per-patient
-- rules the RPCs enforce: no patient in two chairs at once (the next patient without a visit at
-- that time takes the slot), and at most one upcoming online (portal/chatbot) booking per patient
-- — the rest are front-desk bookings, which the online limit neither caps nor counts — so every
-- demo patient can still book online.
-- ---------------------------------------------------------------------------------------------
do $$
declare
  v_clinic constant uuid := 'c1000000-0000-4000-8000-000000000001';
  v_patients constant uuid[] := array[
    'b0000000-0000-4000-8000-000000000001', 'b0000000-0000-4000-8000-000000000002', 'b0000000-0000-4000-8000-000000000003',
    'b0000000-0000-4000-8000-000000000004', 'b0000000-0000-4000-8000-000000000005', 'b0000000-0000-4000-8000-000000000006'
  ]::uuid[];
  v_services constant uuid[] := array[
    '5e000000-0000-4000-8000-000000000001', '5e000000-0000-4000-8000-000000000002',
    '5e000000-0000-4000-8000-000000000003', '5e000000-0000-4000-8000-000000000004'
  ]::uuid[];
  v_sources constant public.appointment_source[] := array['portal', 'staff', 'chatbot']::public.appointment_source[];
  v_day date;
  v_dentist record;
  v_service public.services;
  v_slot record;
  v_n integer := 0;
  v_pick integer;
  v_patient uuid;
  v_source public.appointment_source;
begin
  if exists (select 1 from public.appointments a where a.clinic_id = v_clinic) then
    return;
  end if;
  for v_day in
    select g::date from generate_series((now() at time zone 'Europe/London')::date, (now() at time zone 'Europe/London')::date + 13, interval '1 day') g
  loop
    for v_dentist in select d.id from public.dentists d where d.clinic_id = v_clinic order by d.id loop
      for v_pick in 1..3 loop
        v_n := v_n + 1;
        select s.* into v_service
        from public.services s
        join public.dentist_services ds on ds.service_id = s.id and ds.dentist_id = v_dentist.id
        where s.id = v_services[1 + (v_n % 4)];
        continue when v_service.id is null;
        -- Morning, midday and afternoon picks: skip a varying number of free slots.
        select * into v_slot
        from private.compute_slots(
          v_clinic, v_service.id, v_dentist.id,
          (v_day + time '00:00') at time zone 'Europe/London',
          (v_day + 1 + time '00:00') at time zone 'Europe/London',
          now(), null
        )
        offset (v_pick - 1) * 6 + (v_n % 3) limit 1;
        continue when v_slot.slot_start is null;
        select p into v_patient
        from unnest(v_patients) with ordinality as c (p, k)
        where not exists (
          select 1 from public.appointments a
          where a.patient_id = c.p and a.period && tstzrange(v_slot.slot_start, v_slot.slot_end, '[)')
        )
        order by (c.k + v_n) % 6
        limit 1;
        continue when v_patient is null;
        v_source := v_sources[1 + (v_n % 3)];
        if v_source <> 'staff' and exists (
          select 1 from public.appointments a where a.patient_id = v_patient and a.source <> 'staff'
        ) then
          v_source := 'staff';
        end if;
        insert into public.appointments (
          clinic_id, dentist_id, patient_id, service_id, period, buffer_before_minutes, buffer_after_minutes,
          blocked_period, status, source
        ) values (
          v_clinic, v_dentist.id, v_patient, v_service.id,
          tstzrange(v_slot.slot_start, v_slot.slot_end, '[)'),
          v_service.buffer_before_minutes, v_service.buffer_after_minutes,
          tstzrange(v_slot.slot_start, v_slot.slot_end, '[)'),
          case when v_day <= (now() at time zone 'Europe/London')::date + 2 and v_n % 2 = 0 then 'confirmed' else 'scheduled' end::public.appointment_status,
          v_source
        );
      end loop;
    end loop;
  end loop;
end
$$;
