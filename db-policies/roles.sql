-- roles.sql: the seven cluster-wide roles of market-backend. Run once per cluster by a superuser
-- (`java -jar target/market-backend.jar bootstrap` runs it); safe to run again.
-- Passwords are not set here: bootstrap sets them from DB_PASSWORD / DB_MIGRATION_PASSWORD.
--
--   market_owner     LOGIN. Owns every table; Flyway migrates as this role. BYPASSRLS so that
--                    migrations, bulk loads and maintenance commands work under FORCE RLS.
--                    The server's request pool never connects as it.
--   market_app       LOGIN. The server's pool. NOINHERIT: on its own it may do nothing but
--                    `CALL app.enter(?, ?, NULL)`, which verifies the server-signed context and
--                    switches to the request role it names (one of the four below).
--   market_dba       LOGIN. A DBA in psql: like market_app it may only `CALL app.enter(...)`, with
--                    a context signed for market_dba (`context` prints one), so a context pasted by
--                    a DBA is no use to the pool's role, nor the pool's to a DBA. No password here:
--                    set one as a superuser (ALTER ROLE market_dba PASSWORD ...) where auth needs it.
--   market_guest     NOLOGIN. Anonymous storefront.
--   market_customer  NOLOGIN. A logged-in customer.
--   market_manager   NOLOGIN. A store manager.
--   market_reporter  NOLOGIN. Background jobs with no user behind them (the revenue snapshot job):
--                    reads order totals of ONE market per transaction and writes its revenue_snapshots.

do $$
declare
    r text;
begin
    foreach r in array array['market_owner', 'market_app', 'market_dba', 'market_guest', 'market_customer', 'market_manager',
                            'market_reporter'] loop
        if not exists (select 1 from pg_roles where rolname = r) then
            execute format('create role %I', r);
        end if;
    end loop;
end
$$;

alter role market_owner    login   inherit   nosuperuser nocreatedb nocreaterole noreplication bypassrls;
alter role market_app      login   noinherit nosuperuser nocreatedb nocreaterole noreplication nobypassrls;
alter role market_dba      login   noinherit nosuperuser nocreatedb nocreaterole noreplication nobypassrls;
alter role market_guest    nologin noinherit nosuperuser nocreatedb nocreaterole noreplication nobypassrls;
alter role market_customer nologin noinherit nosuperuser nocreatedb nocreaterole noreplication nobypassrls;
alter role market_manager  nologin noinherit nosuperuser nocreatedb nocreaterole noreplication nobypassrls;
alter role market_reporter nologin noinherit nosuperuser nocreatedb nocreaterole noreplication nobypassrls;

-- market_app may switch to the request roles and the job role (set_config('role', ...)), nothing more.
grant market_guest, market_customer, market_manager, market_reporter to market_app;
grant market_guest, market_customer, market_manager, market_reporter to market_dba;

-- Only the owner's verifier, app.verify_context(), may record a verified request context
-- (R__01_helpers.sql says why this parameter). PostgreSQL 15+.
grant set on parameter backtrace_functions to market_owner;
