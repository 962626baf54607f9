-- R__01_helpers.sql: how policies learn who is asking, and why they can believe it.
--
-- The server starts every transaction with ONE statement (with the request's first query behind it,
-- in the same round trip):
--   CALL app.enter(?, ?, NULL)  -- context, statement_timeout (ms); answers the proof that it ran
-- The context is one signed string the server builds per transaction:
--   v2|<key id>|<expires, unix s>|<login role>|<role>|<market>|<user id>|<request id>|<phone>|<session>|<rw or ro>|<hmac>
-- <hmac> is HMAC-SHA256, hex, over everything before it, with a key that only the owner can read
-- (app.context_keys, installed by `migrate` from the server's DB_CONTEXT_KEY). Every field that
-- changes rights is signed: the login role that may enter it (the pool's market_app, or a DBA's
-- market_dba, so neither can use the other's), the role, the market, the user, read-only.
-- app.enter() first ends whatever an earlier transaction left on the connection (below), has
-- app.verify_context() check the context (and that its login session, if any, is live), then
-- switches to <role> and sets the statement timeout, all transaction-locally: they vanish at
-- commit or rollback, so a pooled connection never carries a market or a user into the next request.
--
-- Nothing outlives the transaction: a pooled connection (the server's pool, a transaction pooler's
-- server connection, a DBA's psql) serves transaction after transaction, and SQL injected into one
-- could leave state for the next to run or read. app.enter() resets session settings, sequence
-- state and listens; app.verify_context() removes statements prepared from SQL and held cursors
-- and then refuses the transaction (SQLSTATE MB001): the server drops that connection and logs a
-- security event. A statement planted in place of the server's own context statement never runs
-- app.enter(), so the server checks the proof it answers.
--
-- Where the verified context lives: PostgreSQL lets anyone set any custom `app.*` setting, so a
-- setting cannot prove anything. The one per-transaction place that only a chosen role may write,
-- and that still works on a read replica and through a transaction pooler, is a superuser
-- parameter with GRANT SET ON PARAMETER (PostgreSQL 15+). The verifier (owner's rights) records the
-- fields of a context that checks out in `backtrace_functions`, as
--   mkctx,<role>,<market>,<user id>,<request id with _ for ->,<phone without +>
-- a superuser parameter every role may read and nobody else may set (roles.sql), inert here (it
-- names C functions whose errors log a backtrace; none is called like these values). Nothing can
-- forge it; a transaction can only carry a context the server signed.
--
-- Policies read the context ONLY through the STABLE helpers below, always wrapped as
-- `(select app.current_market())`: the wrap makes PostgreSQL evaluate the helper once per query
-- (an InitPlan) instead of once per row, so the predicate can use an index on `market`. The helpers
-- are plain SQL that PostgreSQL inlines, a few string operations each; the signature was checked
-- once, by app.enter().
-- Fail closed: no verified context, or a transaction that switched to another role than the one
-- the context names, makes every helper NULL, and NULL matches nothing.

revoke all on schema app from public;
grant usage on schema app to market_app, market_dba, market_guest, market_customer, market_manager, market_reporter;
alter default privileges for role market_owner revoke execute on functions from public;

-- (the signatures before the proof and the signed read-only flag)
drop procedure if exists app.enter(text, text, boolean);
do $$
begin
    if (select prorettype from pg_proc where oid = to_regprocedure('app.verify_context(text)')) = 'boolean'::regtype then
        drop function app.verify_context(text);
    end if;
end
$$;

-- What an earlier transaction left on this connection that a later one could run or read, as the
-- commands that remove it: statements prepared from SQL (PREPARE survives ROLLBACK, and may take the
-- name of a pgjdbc statement such as S_3) and cursors WITH HOLD. app.verify_context() removes them;
-- the server asks after a failed context statement, whose stand-in would have run no check.
-- No SET clause, every name qualified: PostgreSQL inlines it into the caller's cached plan instead of
-- planning its body again at every call (docs/BENCHMARKS.md, "What the context statement costs").
create or replace function app.leftovers() returns setof text
    language sql stable
as $$
    select pg_catalog.format('deallocate %I', name) from pg_catalog.pg_prepared_statements where from_sql
    union all
    select pg_catalog.format('close %I', name) from pg_catalog.pg_cursors where is_holdable
$$;

-- Checks a context and, if it verifies, makes it the transaction's context. Owner's rights: it
-- reads the keys and may set backtrace_functions. Answers the proof that it ran (an HMAC of the
-- context's own MAC, which the server checks: a statement put in place of the server's context
-- statement cannot compute it), or NULL. A session that carries statements prepared from SQL or
-- held cursors is refused, so a statement planted under the server's name cannot enter either.
create or replace function app.verify_context(context text) returns text
    language plpgsql volatile security definer
    set search_path = pg_catalog, pg_temp
    -- one plan per connection: left to choose, PostgreSQL plans the check again at every call, for the
    -- context folded in as a constant (docs/BENCHMARKS.md, "What the context statement costs")
    set plan_cache_mode = force_generic_plan
as $$
declare
    proof text;
    cmd text;
    leftovers int := 0;
begin
    -- removed here (that survives the refusal below)
    for cmd in select l from app.leftovers() l loop
        execute cmd;
        leftovers := leftovers + 1;
    end loop;
    if leftovers > 0 then
        raise exception 'this connection carried % statement(s) prepared from SQL or held cursor(s) from an earlier transaction; removed, and this transaction refused', leftovers
            using errcode = 'MB001';
    end if;
    select encode(sha256(k.outer_pad || sha256(k.inner_pad || convert_to('entered|' || right(context, 64), 'UTF8'))), 'hex'),
           set_config('backtrace_functions',
                      concat_ws(',', 'mkctx', split_part(context, '|', 5), split_part(context, '|', 6),
                                split_part(context, '|', 7), translate(split_part(context, '|', 8), '-', '_'),
                                ltrim(split_part(context, '|', 9), '+')),
                      true)
    into proof
    from app.context_keys k
    where split_part(context, '|', 1) = 'v2'
      and k.id = split_part(context, '|', 2)
      and split_part(context, '|', 3) ~ '^[0-9]{1,12}$'
      and split_part(context, '|', 3)::bigint >= extract(epoch from clock_timestamp())
      -- a context names the login role that may enter it: the server's pool's, or a DBA's
      and split_part(context, '|', 4) = session_user
      and split_part(context, '|', 11) in ('rw', 'ro')
      and encode(sha256(k.outer_pad || sha256(k.inner_pad || convert_to(left(context, -65), 'UTF8'))), 'hex')
          = right(context, 64)
      -- a context made with a login session's token counts only while that session is live
      and (split_part(context, '|', 10) = ''
           or exists (select 1 from public.sessions s
                      where split_part(context, '|', 10) ~ '^[0-9]{1,18}$'
                        and s.id = split_part(context, '|', 10)::bigint
                        and s.user_id = nullif(split_part(context, '|', 7), '')::bigint
                        and s.ended_at is null and s.expires_at > now()));
    return proof;
end
$$;

-- The first statement of every transaction of the server (see the top of this file). Caller's
-- rights (it switches role, which a SECURITY DEFINER function may not). Every name is qualified:
-- it runs before anything a planted search_path could redirect is reset.
create or replace procedure app.enter(context text, statement_timeout text default null,
                                      inout proof text default null)
    language plpgsql
as $$
declare
    applied text;
begin
    -- what an earlier transaction set for the session (set_config(..., false), SET SESSION ...),
    -- the sequences it drew from (lastval()) and the channels it listens on end here
    reset all;
    discard sequences;
    if exists (select from pg_catalog.pg_listening_channels()) then
        unlisten *;
    end if;
    proof := app.verify_context(context);
    if proof is null then
        raise exception 'the request context does not verify (unknown key, bad signature, expired, another login role, or its session ended)'
            using errcode = '28000';
    end if;
    -- a session default planted earlier started this transaction read-only: refused (the server closes
    -- the connection; behind a pooler, the reset above lasts from the next read that commits)
    if pg_catalog.current_setting('transaction_read_only') = 'on' and pg_catalog.split_part(context, '|', 11) = 'rw' then
        raise exception 'this transaction was started read-only by a session default an earlier transaction set; reset, and this transaction refused'
            using errcode = 'MB001';
    end if;
    -- the role, the timeout and read-only in one expression, not PERFORMs: PL/pgSQL evaluates an
    -- expression directly, a PERFORM is a query through the executor
    applied := pg_catalog.concat(pg_catalog.set_config('role', pg_catalog.split_part(context, '|', 5), true),
        case when statement_timeout is not null
             then pg_catalog.set_config('statement_timeout', statement_timeout, true) end,
        case when pg_catalog.split_part(context, '|', 11) = 'ro'
             then pg_catalog.set_config('transaction_read_only', 'on', true) end);
end
$$;

-- Field n of the verified context (see above: 3 market, 4 user id, 5 request id, 6 phone), while
-- the transaction runs as the role it names, else NULL; '' is NULL too. `role` is the role the
-- transaction switched to: current_user, also inside the definer lookups.
create or replace function app.context_field(n int) returns text
    language sql stable parallel safe
as $$
    select case when current_setting('backtrace_functions') like 'mkctx,%'
                 and split_part(current_setting('backtrace_functions'), ',', 2) = current_setting('role')
                then nullif(split_part(current_setting('backtrace_functions'), ',', n), '') end
$$;

-- The market this transaction serves ('KG', 'US', ...), or NULL.
create or replace function app.current_market() returns text
    language sql stable parallel safe
as $$ select app.context_field(3) $$;

-- The catalog scopes the current market may see: {KG, ALL} for KG; EMPTY when no market is set,
-- so that even 'ALL' rows stay hidden from a transaction without a market (fail closed).
create or replace function app.visible_markets() returns text[]
    language sql stable parallel safe
as $$
    select case when app.current_market() is null then '{}'::text[]
                else array[app.current_market(), 'ALL'] end
$$;

-- The logged-in user (customer or manager), or NULL for a guest.
create or replace function app.current_user_id() returns bigint
    language sql stable parallel safe
as $$ select app.context_field(4)::bigint $$;

-- The server's request id, recorded in audit_log.
create or replace function app.current_request_id() returns text
    language sql stable parallel safe
as $$ select translate(app.context_field(5), '_', '-') $$;

-- The phone a guest is logging in with (auth endpoints only), or NULL.
create or replace function app.current_phone() returns text
    language sql stable parallel safe
as $$ select '+' || app.context_field(6) $$;

-- Does the current user manage the current market? A lookup with the caller's own rights (the
-- policy of store_manager_markets shows a manager the row of the current market, if they have it).
-- PL/pgSQL, not SQL, so its query plan is cached per connection: it runs once per statement.
create or replace function app.manages_current_market() returns boolean
    language plpgsql stable parallel safe
as $$
begin
    return exists (select 1
                   from public.store_manager_markets m
                   where m.user_id = app.current_user_id()
                     and m.market = app.current_market());
end
$$;

-- Trigger: a row's market is its user's market, set by the database, not by the caller.
-- Runs with the caller's rights, so a user the caller cannot see yields NULL and the insert fails.
create or replace function app.market_from_user() returns trigger
    language plpgsql
as $$
begin
    new.market := (select u.market from public.users u where u.id = new.user_id);
    if new.market is null then
        raise exception 'user % is not visible in market %', new.user_id, app.current_market()
            using errcode = '42501';
    end if;
    return new;
end
$$;

grant execute on function app.context_field(int), app.current_market(), app.visible_markets(),
    app.current_user_id(), app.current_request_id(), app.current_phone(), app.manages_current_market(),
    app.market_from_user()
    to market_guest, market_customer, market_manager;
-- the revenue job knows nothing but the market it is computing
grant execute on function app.context_field(int), app.current_market() to market_reporter;

revoke execute on all functions in schema app from public;
revoke execute on all procedures in schema app from public;
-- the pool's login role may only enter a context; the request roles may re-enter one (a manager
-- request switches market after its lookup), which verifies again
grant execute on function app.verify_context(text), app.leftovers() to market_app, market_dba, market_guest,
    market_customer, market_manager, market_reporter;
grant execute on procedure app.enter(text, text, text) to market_app, market_dba, market_guest, market_customer,
    market_manager, market_reporter;
-- app.my_markets(), app.manager_access(), app.manages_all_markets(),
-- app.market_of_phone(): R__05_markets.sql

-- The build that last ran `migrate` here (app.schema_state): a server started with
-- MIGRATE_ON_START=false compares it with its own before serving, with no rights on any table.
create or replace function app.schema_fingerprint() returns text
    language sql stable security definer
    set search_path = pg_catalog, pg_temp
as $$ select s.fingerprint from app.schema_state s $$;
revoke execute on function app.schema_fingerprint() from public;
grant execute on function app.schema_fingerprint() to market_app;
