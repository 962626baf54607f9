-- R__01_helpers.sql: how policies learn who is asking.
--
-- The server starts every transaction with ONE statement:
--   select set_config('role', $1, true), set_config('app.market', $2, true),
--          set_config('app.user_id', $3, true), set_config('app.request_id', $4, true),
--          set_config('app.phone', $5, true)
-- `true` = transaction-local: the values vanish at commit or rollback, so a pooled connection
-- never carries a market or a user into the next request.
--
-- Policies read these values ONLY through the STABLE helpers below, always wrapped as
-- `(select app.current_market())`: the wrap makes PostgreSQL evaluate the helper once per query
-- (an InitPlan) instead of once per row, so the predicate can use an index on `market`.
-- An unset or empty setting yields NULL, and NULL matches nothing: fail closed.

revoke all on schema app from public;
grant usage on schema app to market_guest, market_customer, market_manager, market_reporter;
alter default privileges for role market_owner revoke execute on functions from public;

-- The market this transaction serves ('KG', 'US', ...), or NULL.
create or replace function app.current_market() returns text
    language sql stable parallel safe
as $$ select nullif(current_setting('app.market', true), '') $$;

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
as $$ select nullif(current_setting('app.user_id', true), '')::bigint $$;

-- The request id, recorded in audit_log.
create or replace function app.current_request_id() returns text
    language sql stable parallel safe
as $$ select nullif(current_setting('app.request_id', true), '') $$;

-- The phone a guest is logging in with (auth endpoints only), or NULL.
create or replace function app.current_phone() returns text
    language sql stable parallel safe
as $$ select nullif(current_setting('app.phone', true), '') $$;

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

-- Trigger: a catalog row's market must be 'ALL' or an existing market.
create or replace function app.check_market_scope() returns trigger
    language plpgsql
as $$
begin
    if new.market <> 'ALL' and not exists (select 1 from public.markets k where k.code = new.market) then
        raise exception 'unknown market %', new.market using errcode = '23503';
    end if;
    return new;
end
$$;

grant execute on function app.current_market(), app.visible_markets(), app.current_user_id(), app.current_request_id(),
    app.current_phone(), app.manages_current_market(), app.market_from_user(), app.check_market_scope()
    to market_guest, market_customer, market_manager;
-- the revenue job knows nothing but the market it is computing
grant execute on function app.current_market() to market_reporter;

revoke execute on all functions in schema app from public;
-- app.my_markets(), app.manager_access(), app.manages_all_markets(), app.market_of_phone(): R__05_markets.sql
