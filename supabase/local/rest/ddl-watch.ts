/**
 * Hosted Supabase installs event triggers that `NOTIFY pgrst, 'reload schema'` after DDL, so the
 * REST schema cache follows `create table`/`alter table` without a restart. The local stack
 * reproduces that (idempotently) when the REST service starts.
 */
export const DDL_WATCH_SQL = `
create or replace function extensions.pgrst_ddl_watch() returns event_trigger language plpgsql as $$
declare cmd record;
begin
  for cmd in select * from pg_event_trigger_ddl_commands() loop
    if cmd.schema_name is distinct from 'pg_temp' and cmd.object_type is distinct from 'temp table' then
      notify pgrst, 'reload schema';
      return;
    end if;
  end loop;
end $$;

create or replace function extensions.pgrst_drop_watch() returns event_trigger language plpgsql as $$
declare obj record;
begin
  for obj in select * from pg_event_trigger_dropped_objects() loop
    if obj.is_temporary is false then
      notify pgrst, 'reload schema';
      return;
    end if;
  end loop;
end $$;

do $$
begin
  if not exists (select from pg_event_trigger where evtname = 'pgrst_ddl_watch') then
    create event trigger pgrst_ddl_watch on ddl_command_end execute procedure extensions.pgrst_ddl_watch();
  end if;
  if not exists (select from pg_event_trigger where evtname = 'pgrst_drop_watch') then
    create event trigger pgrst_drop_watch on sql_drop execute procedure extensions.pgrst_drop_watch();
  end if;
end $$;
`;
