-- R__05_markets.sql: which market a phone, a manager and an ALL catalog row belong to, and what
-- a closed market still allows.
--
-- A market is a row of `markets`; `is_active` says whether it is open. The owner changes it with
-- `java -jar target/market-backend.jar market add|open|close` (recorded in audit_log, no manager).
--   open:   guests browse it, people sign up and log in, customers shop.
--   closed: no guests and no sign-ups; its customers still log in and read what is theirs, but add
--           or change no cart item, order, address or payment method (app.require_open_market);
--           its managers still run its back office (app.my_markets lists open and closed markets).
-- Catalog rows of ALL are sold in every market, open or closed (a closed market may reopen), so
-- only a manager of every market may write them (app.manages_all_markets): closing a market
-- never widens anyone's rights, adding one narrows them until its managers are granted it.

-- ---------------------------------------------------------------- managers
-- Every market the current manager manages, open or closed, in display order ('{}' for anyone else).
-- SECURITY DEFINER (owner's rights, pinned search_path): a manager's own grants must be readable
-- before the request's market is known and across markets, while the table's policy shows a
-- manager only the row of the market being served. It reveals nothing but the caller's own grants.
create or replace function app.my_markets() returns text[]
    language sql stable security definer parallel safe
    set search_path = pg_catalog, pg_temp
as $$
    select coalesce(array_agg(m.market order by k.position, k.code), '{}')
    from public.store_manager_markets m
    join public.markets k on k.code = m.market
    where m.user_id = app.current_user_id()
$$;

-- The current user's manager record: role, saved active market, managed markets, and their own
-- market and phone (a manager's own user row is not among the rows of a market they manage); no
-- row for a user who is not a manager. SECURITY DEFINER for the same reason as app.my_markets():
-- the server reads it once per manager request, before it decides the request's market.
do $$
begin
    -- before the manager's own market and phone were in it
    if (select count(*) from pg_proc p, unnest(p.proallargtypes) t
        where p.oid = to_regprocedure('app.manager_access()')) = 3 then
        drop function app.manager_access();
    end if;
end
$$;
create or replace function app.manager_access()
    returns table (role text, active_market text, markets text[], home_market text, phone text)
    language sql stable security definer parallel safe
    set search_path = pg_catalog, pg_temp
as $$
    select s.role, ms.active_market, app.my_markets(), u.market, u.phone
    from public.store_managers s
    join public.users u on u.id = s.user_id
    left join public.manager_settings ms on ms.user_id = s.user_id
    where s.user_id = app.current_user_id()
$$;

-- Does the current user manage every market, open or closed? Required to write 'ALL' catalog rows,
-- which every market sells (app.writable_markets, R__20_catalog.sql).
create or replace function app.manages_all_markets() returns boolean
    language sql stable parallel safe
as $$
    select app.current_user_id() is not null
       and not exists (select 1
                       from public.markets k
                       where not (k.code = any (app.my_markets())))
$$;

-- ---------------------------------------------------------------- phones
-- The market of a phone number. Which region a number is in takes libphonenumber's numbering plan
-- (+1 416 is Canada, +1 650 the US, +1 242 the Bahamas): the server decides it, and a login
-- request's context vouches for it (app.current_phone() with app.current_market()). Without a phone in the context
-- (the owner's commands) it is the only market whose calling code is the number's longest prefix,
-- and NULL when several markets share that code.
create or replace function app.market_of_phone(phone text) returns text
    language sql stable parallel safe
as $$
    select case
        when app.current_phone() is not null then
            case when phone = app.current_phone() then app.current_market() end
        else (select min(k.code)
              from (select m.code, rank() over (order by length(m.calling_code) desc) as r
                    from public.markets m
                    where phone like '+' || m.calling_code || '%') k
              where k.r = 1
              having count(*) = 1)
    end
$$;

-- Trigger (users, verification_codes, sms_outbox): a row's market is its phone's, never the
-- caller's choice; the owner's commands may name it where the calling code is shared (grant-manager
-- decides it with libphonenumber, as login does). What the database checks itself: the phone starts
-- with the market's calling code, and a login signs a new user up in an open market only.
create or replace function app.market_from_phone() returns trigger
    language plpgsql
as $$
begin
    if app.current_phone() is not null then
        new.market := app.market_of_phone(new.phone);
        if new.market is null then
            -- a login's context vouches for its own phone in its market, for nothing else
            raise exception 'the request vouches for no market of this phone' using errcode = '42501';
        end if;
    else
        new.market := coalesce(app.market_of_phone(new.phone), new.market);
    end if;
    if new.market is null or not exists (
            select 1 from public.markets k
            where k.code = new.market
              and new.phone like '+' || k.calling_code || '%'
              -- no one signs up in a closed market; the owner may still add its staff
              and (k.is_active or tg_table_name <> 'users' or app.current_phone() is null)) then
        raise exception 'phone is not in an open market (%)', coalesce(new.market, 'none')
            using errcode = '23514';
    end if;
    return new;
end
$$;

-- ---------------------------------------------------------------- closed markets
-- Trigger (cart_items, orders, addresses, payment_methods): a closed market sells nothing, so a
-- customer there adds or changes none of these (deleting stays allowed). Reads the request's market:
-- the tables' policies already bind the row to it. The owner (no market in context) is not
-- stopped. SQLSTATE MC001: the server answers 409 "market closed".
create or replace function app.require_open_market() returns trigger
    language plpgsql
as $$
begin
    if app.current_market() is not null
       and not exists (select 1 from public.markets k where k.code = app.current_market() and k.is_active) then
        raise exception 'the % market is closed', app.current_market() using errcode = 'MC001';
    end if;
    return new;
end
$$;

revoke execute on all functions in schema app from public;
grant execute on function app.manages_all_markets(), app.market_of_phone(text), app.market_from_phone(),
    app.require_open_market()
    to market_guest, market_customer, market_manager;
-- the definer lookups of a manager's own record are for managers only
grant execute on function app.my_markets(), app.manager_access() to market_manager;
