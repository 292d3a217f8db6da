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

create policy "Users can receive changes to their own membership"
on realtime.messages for select
to authenticated
using (
  extension = 'broadcast'
  and (select realtime.topic()) = format('member:%s:membership', (select auth.uid()))
);
