-- The SQL surface of Supabase Realtime that apps rely on: realtime.messages (authorization target for
-- private channels and the outbox of broadcast-from-database), realtime.topic(), realtime.send(),
-- realtime.broadcast_changes(). Written from the documented behaviour; see the wire notes A.12.

create schema if not exists realtime;
grant usage on schema realtime to postgres, anon, authenticated, service_role, supabase_realtime_admin;

create table if not exists realtime.messages (
  topic text not null,
  extension text not null,
  payload jsonb,
  event text,
  private boolean default false,
  updated_at timestamp without time zone not null default now(),
  inserted_at timestamp without time zone not null default now(),
  id uuid not null default gen_random_uuid(),
  binary_payload bytea,
  constraint messages_payload_exclusive check (payload is null or binary_payload is null),
  primary key (id, inserted_at)
) partition by range (inserted_at);
comment on table realtime.messages is 'Realtime: broadcast messages from the database, and the table private-channel policies are written on.';

alter table realtime.messages enable row level security;
grant select, insert, update on realtime.messages to anon, authenticated, service_role;
grant all on realtime.messages to postgres, supabase_realtime_admin;

-- Daily partitions, like the server's janitor makes: yesterday .. today + 3 days.
create or replace function realtime.ensure_message_partitions(days_ahead int default 3) returns void
language plpgsql
as $$
declare
  d date;
  part text;
begin
  for d in select generate_series(current_date - 1, current_date + days_ahead, interval '1 day')::date loop
    part := 'messages_' || to_char(d, 'YYYY_MM_DD');
    if not exists (
      select from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = 'realtime' and c.relname = part
    ) then
      execute format(
        'create table realtime.%I partition of realtime.messages for values from (%L) to (%L)',
        part, d::timestamp, (d + 1)::timestamp
      );
    end if;
  end loop;
end
$$;
select realtime.ensure_message_partitions(3);

-- Drops partitions older than `keep_days` (the server keeps about three days of messages).
create or replace function realtime.drop_old_message_partitions(keep_days int default 3) returns int
language plpgsql
as $$
declare
  r record;
  dropped int := 0;
begin
  for r in
    select c.relname from pg_inherits i
    join pg_class c on c.oid = i.inhrelid
    join pg_class p on p.oid = i.inhparent
    join pg_namespace n on n.oid = p.relnamespace
    where n.nspname = 'realtime' and p.relname = 'messages'
      and c.relname ~ '^messages_\d{4}_\d{2}_\d{2}$'
      and to_date(substr(c.relname, 10), 'YYYY_MM_DD') < current_date - keep_days
  loop
    execute format('drop table realtime.%I', r.relname);
    dropped := dropped + 1;
  end loop;
  return dropped;
end
$$;

create or replace function realtime.topic() returns text
language sql stable
as $$
  select nullif(current_setting('realtime.topic', true), '')::text
$$;
grant execute on function realtime.topic() to public;

-- Broadcast from the database: the row inserted here is streamed by the Realtime server to the topic.
-- Errors never abort the caller's transaction; they become a warning, as on hosted Supabase.
create or replace function realtime.send(payload jsonb, event text, topic text, private boolean default true)
returns void
language plpgsql
as $$
declare
  message_id uuid := gen_random_uuid();
  body jsonb := coalesce(payload, '{}'::jsonb);
begin
  begin
    if not (body ? 'id') then
      body := body || jsonb_build_object('id', message_id);
    end if;
    perform set_config('realtime.topic', topic, true);
    insert into realtime.messages (id, payload, event, topic, private, extension)
    values (message_id, body, event, topic, private, 'broadcast');
  exception when others then
    raise warning 'ErrorSendingBroadcastMessage: %', sqlerrm;
  end;
end
$$;
grant execute on function realtime.send(jsonb, text, text, boolean) to postgres, anon, authenticated, service_role;

-- Broadcast raw bytes from the database (hosted's realtime.send_binary): the row carries
-- binary_payload instead of payload, and vsn 2.0.0 sockets receive it as a binary user broadcast
-- (vsn 1.0.0 sockets cannot represent it and get nothing, as hosted). No `id` is added to a byte
-- payload; the message id still travels in `meta.id`. Errors become a warning, as for send().
create or replace function realtime.send_binary(payload bytea, event text, topic text, private boolean default true)
returns void
language plpgsql
as $$
declare
  message_id uuid := gen_random_uuid();
begin
  begin
    perform set_config('realtime.topic', topic, true);
    insert into realtime.messages (id, binary_payload, event, topic, private, extension)
    values (message_id, payload, event, topic, private, 'broadcast');
  exception when others then
    raise warning 'ErrorSendingBroadcastMessage: %', sqlerrm;
  end;
end
$$;
grant execute on function realtime.send_binary(bytea, text, text, boolean) to postgres, anon, authenticated, service_role;

create or replace function realtime.broadcast_changes(
  topic_name text,
  event_name text,
  operation text,
  table_name text,
  table_schema text,
  new record,
  old record,
  level text default 'ROW'
) returns void
language plpgsql
as $$
declare
  row_data jsonb;
  old_data jsonb;
begin
  if level is distinct from 'ROW' then
    raise exception 'Unexpected level: %. broadcast_changes only supports row-level triggers', level;
  end if;
  if operation = 'INSERT' then
    row_data := to_jsonb(new);
    old_data := null;
  elsif operation = 'UPDATE' then
    row_data := to_jsonb(new);
    old_data := to_jsonb(old);
  elsif operation = 'DELETE' then
    row_data := null;
    old_data := to_jsonb(old);
  else
    raise exception 'Unexpected operation: %', operation;
  end if;
  perform realtime.send(
    jsonb_build_object(
      'old_record', old_data,
      'record', row_data,
      'operation', operation,
      'table', table_name,
      'schema', table_schema
    ),
    event_name,
    topic_name
  );
end
$$;
grant execute on function realtime.broadcast_changes(text, text, text, text, text, record, record, text)
  to postgres, anon, authenticated, service_role;

-- The stream the Realtime server reads broadcast-from-database messages from.
do $$
begin
  if not exists (select from pg_publication where pubname = 'supabase_realtime_messages_publication') then
    create publication supabase_realtime_messages_publication for table realtime.messages
      with (publish = 'insert', publish_via_partition_root = true);
  end if;
end
$$;
