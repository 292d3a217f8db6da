-- When a member's role or clinic changes, their open Realtime channels must follow at once, not at
-- the next token refresh (up to an hour: hosted Realtime re-checks private-channel policies only
-- when the client sends a new access token).
--
-- On a change of profiles.role or profiles.clinic_id (and when a profile is deleted) the trigger:
--  1. NOTIFYs `realtime_reauthorize_user` with the user id. The local stack's Realtime server
--     listens and re-runs the policies of that user's joined private channels, closing those no
--     longer allowed (supabase/local/realtime/README.md). On hosted nobody listens: harmless.
--  2. Broadcasts `membership_changed` {user_id, role, clinic_id} to the user's private topic
--     `member:<user_id>:membership` (works on hosted too). The user's browser refreshes its session
--     on it, so hosted re-checks with the new token, and moves to the portal of the new role.
--
-- Payload: the user's own role and clinic id, nothing about anyone else.

create or replace function private.announce_membership_change()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_row public.profiles := case when tg_op = 'DELETE' then old else new end;
begin
  perform pg_notify('realtime_reauthorize_user', v_row.id::text);
  if tg_op = 'UPDATE' then
    perform realtime.send(
      jsonb_build_object('user_id', new.id, 'role', new.role, 'clinic_id', new.clinic_id),
      'membership_changed',
      format('member:%s:membership', new.id)
    );
  end if;
  return null;
end
$$;
comment on function private.announce_membership_change() is
  'Tells Realtime (NOTIFY realtime_reauthorize_user) and the member''s browser (topic member:<id>:membership) that a role or clinic changed.';

create trigger profiles_announce_membership_change
after update of role, clinic_id on public.profiles
for each row
when (old.role is distinct from new.role or old.clinic_id is distinct from new.clinic_id)
execute function private.announce_membership_change();

create trigger profiles_announce_membership_removal
after delete on public.profiles
for each row execute function private.announce_membership_change();

-- The one topic-access function gains the new topic (the policies on realtime.messages already
-- call it):
--
--   topic                          | who may join        | carries
--   member:<user_id>:membership    | that user only      | membership_changed {user_id, role, clinic_id}
--
-- The body is the previous one (20261122030500_create_realtime_topics.sql) plus that one branch.
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
  elsif v_parts[1] = 'member' and v_parts[3] = 'membership' then
    return v_me.user_id = v_id;
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
