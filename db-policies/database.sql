-- database.sql: what `bootstrap` runs as a superuser inside the market database, after roles.sql.
-- Safe to run again. Built-in functions are per database, so these revokes are too.

-- Only market_owner owns the database and its public schema; market_app may only connect.
do $$
begin
    execute format('alter database %I owner to market_owner', current_database());
    execute format('revoke all on database %I from public', current_database());
    execute format('grant connect, temporary on database %I to market_owner', current_database());
    execute format('grant connect on database %I to market_app, market_dba', current_database());
    -- no parallel plans for the request pool (docs/BENCHMARKS.md), also where a transaction pooler
    -- drops the pool's startup options (docs/SCALING.md): a tuning default, never request context
    execute format('alter role market_app in database %I set max_parallel_workers_per_gather = 0',
                   current_database());
end
$$;
alter schema public owner to market_owner;
revoke all on schema public from public;

-- Doors around the policies that PostgreSQL opens to every role by default:
--  * large objects (lo_create, lo_from_bytea, lo_put, ...) are storage that no policy covers: a
--    request could stash or pass data there across markets;
--  * session-level advisory locks outlive the transaction: a request could hold one on a pooled
--    connection and block every later request that takes it. (Transaction-level advisory locks
--    stay: checkout serializes one customer's orders with them, and they end with the transaction.)
-- market_owner keeps the advisory locks, with which Flyway serializes migrations.
do $$
declare
    f regprocedure;
begin
    for f in select p.oid::regprocedure
             from pg_proc p
             where p.pronamespace = 'pg_catalog'::regnamespace
               and (p.proname ~ '^lo_' or p.proname in ('loread', 'lowrite')
                    or p.proname ~ '^pg_(try_)?advisory_(lock|unlock)')
    loop
        execute format('revoke execute on function %s from public', f);
        if f::text ~ 'advisory' then
            execute format('grant execute on function %s to market_owner', f);
        end if;
    end loop;
end
$$;

-- Doors from one session into another (a request's SQL runs as market_app, and so does every
-- other pooled connection, here and in any database the role serves):
--  * a role may cancel or terminate any backend of a role it belongs to;
--  * it reads their SQL text (pg_stat_activity), where a DBA's pasted context would be;
--  * setseed() makes every later random() of the session predictable.
-- Monitoring keeps them through pg_signal_backend and pg_read_all_stats (and superusers).
revoke execute on function pg_catalog.pg_cancel_backend(int), pg_catalog.pg_terminate_backend(int, bigint),
    pg_catalog.pg_stat_get_activity(int), pg_catalog.pg_stat_get_backend_activity(int),
    pg_catalog.setseed(double precision) from public;
grant execute on function pg_catalog.pg_cancel_backend(int), pg_catalog.pg_terminate_backend(int, bigint)
    to pg_signal_backend;
grant execute on function pg_catalog.pg_stat_get_activity(int), pg_catalog.pg_stat_get_backend_activity(int)
    to pg_read_all_stats;
