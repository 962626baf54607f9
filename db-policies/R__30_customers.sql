-- R__30_customers.sql: users and what belongs to one user: login codes, SMS outbox, addresses,
-- payment methods, notifications.
--
-- Customer rows are bound twice: to the current market AND to the current user (app.current_user_id()).
-- A customer never sees another customer's rows, in any market. The market of a user's row is
-- copied from the user by a trigger, and a composite foreign key (user_id, market) makes a
-- mismatch impossible.

alter table users              enable row level security;
alter table users              force row level security;
alter table verification_codes enable row level security;
alter table verification_codes force row level security;
alter table sms_outbox         enable row level security;
alter table sms_outbox         force row level security;
alter table addresses          enable row level security;
alter table addresses          force row level security;
alter table payment_methods    enable row level security;
alter table payment_methods    force row level security;
alter table notifications      enable row level security;
alter table notifications      force row level security;

revoke all on table users, verification_codes, sms_outbox, addresses, payment_methods, notifications
    from public, market_app, market_guest, market_customer, market_manager, market_reporter;

-- Login runs as a guest whose context also carries the phone (app.current_phone()). It reads and
-- writes neither users nor verification_codes itself: the two definer functions below issue and
-- redeem codes, so SQL injected into a login sees no code, attempt counter, address or user row.
grant insert on table sms_outbox to market_guest;

grant select, update (name) on table users to market_customer;
grant select, insert, update, delete on table addresses, payment_methods to market_customer;
grant select, insert, update (read_at) on table notifications to market_customer;

grant select on table users, addresses, payment_methods to market_manager;
grant select, insert on table notifications to market_manager;

-- ---------------------------------------------------------------- users
-- guests no longer read or sign up users themselves (app.redeem_login_code() does, below)
drop policy if exists "Guests find the user of the phone they log in with" on users;
drop policy if exists "Guests sign up with the phone they log in with" on users;

drop policy if exists "Customers see themselves in their market" on users;
create policy "Customers see themselves in their market"
    on users for select to market_customer
    using (id = (select app.current_user_id()) and market = (select app.current_market()));

drop policy if exists "Customers change their own profile" on users;
create policy "Customers change their own profile"
    on users for update to market_customer
    using (id = (select app.current_user_id()) and market = (select app.current_market()))
    with check (id = (select app.current_user_id()) and market = (select app.current_market()));

drop policy if exists "Managers see the users of the market they manage" on users;
create policy "Managers see the users of the market they manage"
    on users for select to market_manager
    using ((select app.manages_current_market()) and market = (select app.current_market()));

-- A user's market, like a login code's or an SMS's, is the market of the phone, never the caller's
-- choice (app.market_from_phone, R__05_markets.sql): the policies then refuse a row routed through
-- the wrong market (a +1 phone cannot sign up, get a code or an SMS in a KG request).
drop trigger if exists users_market on users;
create trigger users_market before insert or update of phone, market on users
    for each row execute function app.market_from_phone();

-- ---------------------------------------------------------------- verification_codes
-- A secret table: no request role has any right on it, so it has no policy (audit.sql,
-- secret_tables). Codes are issued and redeemed only by the two functions at the end of this file.
drop policy if exists "Guests see the codes of the phone they log in with" on verification_codes;
drop policy if exists "Guests request codes for the phone they log in with" on verification_codes;
drop policy if exists "Guests use up codes of the phone they log in with" on verification_codes;

-- a code's market is its phone's (app.market_from_phone, above)
drop trigger if exists verification_codes_market on verification_codes;
create trigger verification_codes_market before insert or update of phone, market on verification_codes
    for each row execute function app.market_from_phone();

-- ---------------------------------------------------------------- sms_outbox
drop policy if exists "Guests queue SMS in their market" on sms_outbox;
create policy "Guests queue SMS in their market"
    on sms_outbox for insert to market_guest
    with check (market = (select app.current_market()) and phone = (select app.current_phone()));

-- a message goes out through the provider of its phone's market (app.market_from_phone, above)
drop trigger if exists sms_outbox_market on sms_outbox;
create trigger sms_outbox_market before insert or update of phone, market on sms_outbox
    for each row execute function app.market_from_phone();

-- ---------------------------------------------------------------- addresses
drop policy if exists "Customers see their own addresses in their market" on addresses;
create policy "Customers see their own addresses in their market"
    on addresses for select to market_customer
    using (user_id = (select app.current_user_id()) and market = (select app.current_market()));

drop policy if exists "Customers add their own addresses in their market" on addresses;
create policy "Customers add their own addresses in their market"
    on addresses for insert to market_customer
    with check (user_id = (select app.current_user_id()) and market = (select app.current_market()));

drop policy if exists "Customers change their own addresses in their market" on addresses;
create policy "Customers change their own addresses in their market"
    on addresses for update to market_customer
    using (user_id = (select app.current_user_id()) and market = (select app.current_market()))
    with check (user_id = (select app.current_user_id()) and market = (select app.current_market()));

drop policy if exists "Customers delete their own addresses in their market" on addresses;
create policy "Customers delete their own addresses in their market"
    on addresses for delete to market_customer
    using (user_id = (select app.current_user_id()) and market = (select app.current_market()));

drop policy if exists "Managers see addresses in the market they manage" on addresses;
create policy "Managers see addresses in the market they manage"
    on addresses for select to market_manager
    using ((select app.manages_current_market()) and market = (select app.current_market()));

-- The delivery service is the market's; the market is the user's.
create or replace function app.fill_address() returns trigger
    language plpgsql
as $$
begin
    new.delivery_service := (select k.delivery_service from public.markets k where k.code = new.market);
    return new;
end
$$;
drop trigger if exists addresses_10_market on addresses;
create trigger addresses_10_market before insert or update of user_id, market on addresses
    for each row execute function app.market_from_user();
drop trigger if exists addresses_05_open on addresses;
create trigger addresses_05_open before insert or update on addresses
    for each row execute function app.require_open_market();
drop trigger if exists addresses_20_fill on addresses;
create trigger addresses_20_fill before insert or update of user_id, market on addresses
    for each row execute function app.fill_address();

-- ---------------------------------------------------------------- payment_methods
drop policy if exists "Customers see their own payment methods in their market" on payment_methods;
create policy "Customers see their own payment methods in their market"
    on payment_methods for select to market_customer
    using (user_id = (select app.current_user_id()) and market = (select app.current_market()));

drop policy if exists "Customers add their own payment methods in their market" on payment_methods;
create policy "Customers add their own payment methods in their market"
    on payment_methods for insert to market_customer
    with check (user_id = (select app.current_user_id()) and market = (select app.current_market()));

drop policy if exists "Customers change their own payment methods in their market" on payment_methods;
create policy "Customers change their own payment methods in their market"
    on payment_methods for update to market_customer
    using (user_id = (select app.current_user_id()) and market = (select app.current_market()))
    with check (user_id = (select app.current_user_id()) and market = (select app.current_market()));

drop policy if exists "Customers delete their own payment methods in their market" on payment_methods;
create policy "Customers delete their own payment methods in their market"
    on payment_methods for delete to market_customer
    using (user_id = (select app.current_user_id()) and market = (select app.current_market()));

drop policy if exists "Managers see payment methods in the market they manage" on payment_methods;
create policy "Managers see payment methods in the market they manage"
    on payment_methods for select to market_manager
    using ((select app.manages_current_market()) and market = (select app.current_market()));

create or replace function app.fill_payment_method() returns trigger
    language plpgsql
as $$
begin
    new.gateway := (select k.payment_gateway from public.markets k where k.code = new.market);
    return new;
end
$$;
drop trigger if exists payment_methods_10_market on payment_methods;
create trigger payment_methods_10_market before insert or update of user_id, market on payment_methods
    for each row execute function app.market_from_user();
drop trigger if exists payment_methods_05_open on payment_methods;
create trigger payment_methods_05_open before insert or update on payment_methods
    for each row execute function app.require_open_market();
drop trigger if exists payment_methods_20_fill on payment_methods;
create trigger payment_methods_20_fill before insert or update of user_id, market on payment_methods
    for each row execute function app.fill_payment_method();

-- ---------------------------------------------------------------- notifications
drop policy if exists "Customers see their own notifications in their market" on notifications;
create policy "Customers see their own notifications in their market"
    on notifications for select to market_customer
    using (user_id = (select app.current_user_id()) and market = (select app.current_market()));

drop policy if exists "Customers are notified of their own actions in their market" on notifications;
create policy "Customers are notified of their own actions in their market"
    on notifications for insert to market_customer
    with check (user_id = (select app.current_user_id()) and market = (select app.current_market()));

drop policy if exists "Customers mark their own notifications read" on notifications;
create policy "Customers mark their own notifications read"
    on notifications for update to market_customer
    using (user_id = (select app.current_user_id()) and market = (select app.current_market()))
    with check (user_id = (select app.current_user_id()) and market = (select app.current_market()));

drop policy if exists "Managers see notifications in the market they manage" on notifications;
create policy "Managers see notifications in the market they manage"
    on notifications for select to market_manager
    using ((select app.manages_current_market()) and market = (select app.current_market()));

drop policy if exists "Managers notify customers of the market they manage" on notifications;
create policy "Managers notify customers of the market they manage"
    on notifications for insert to market_manager
    with check ((select app.manages_current_market()) and market = (select app.current_market()));

create or replace function app.fill_notification() returns trigger
    language plpgsql
as $$
begin
    new.locale := (select k.locale from public.markets k where k.code = new.market);
    return new;
end
$$;
drop trigger if exists notifications_10_market on notifications;
create trigger notifications_10_market before insert or update of user_id, market on notifications
    for each row execute function app.market_from_user();
drop trigger if exists notifications_20_fill on notifications;
create trigger notifications_20_fill before insert or update of user_id, market on notifications
    for each row execute function app.fill_notification();

revoke execute on all functions in schema app from public;
grant execute on function app.fill_address(), app.fill_payment_method(),
    app.fill_notification()
    to market_guest, market_customer, market_manager;

-- ---------------------------------------------------------------- login codes
-- SECURITY DEFINER (owner's rights, pinned search_path), executable by guests only. Both act on
-- the phone and market the login's verified context names (app.current_phone(),
-- app.current_market()) and take no phone argument: a login request reaches its own phone only.
-- The code's HMAC is the server's (its key never reaches the database); the arguments carry the
-- server's limits, which bound only codes whose value the caller cannot know.

-- Issues a code with this HMAC unless the phone asked too often: answers the seconds to wait
-- (> 0: nothing written), else 0 and the market whose provider sends the SMS; no market when the
-- market is closed and the phone has no account (no code, the same answer: no account revealed).
-- Voids the phone's earlier codes. Parallel requests for one phone queue on an advisory lock.
create or replace function app.issue_login_code(code_hash text, client_ip text, valid_seconds int,
                                                resend_seconds int, codes_per_hour int)
    returns table (wait_seconds bigint, code_market text)
    language plpgsql volatile security definer
    set search_path = pg_catalog, pg_temp
as $$
declare
    login_phone  constant text := app.current_phone();
    login_market constant text := app.current_market();
begin
    if login_phone is null or login_market is null then
        raise exception 'no login phone in this context' using errcode = '42501';
    end if;
    perform pg_advisory_xact_lock(3557, hashtext(login_phone));
    select greatest(0,
                    (select ceil(extract(epoch from c.created_at + make_interval(secs => resend_seconds) - now()))
                     from public.verification_codes c
                     where c.phone = login_phone and c.market = login_market
                     order by c.created_at desc limit 1),
                    (select ceil(extract(epoch from c.created_at + interval '1 hour' - now()))
                     from public.verification_codes c
                     where c.phone = login_phone and c.market = login_market
                     order by c.created_at desc offset greatest(codes_per_hour, 1) - 1 limit 1))::bigint
      into wait_seconds;
    if wait_seconds > 0 then
        return next;
        return;
    end if;
    if not exists (select 1 from public.markets k where k.code = login_market and k.is_active)
       and not exists (select 1 from public.users u where u.phone = login_phone and u.market = login_market) then
        return next;
        return;
    end if;
    update public.verification_codes c set consumed_at = now()
     where c.phone = login_phone and c.market = login_market and c.consumed_at is null;
    -- the market column is the database's (app.market_from_phone, from the login's context)
    insert into public.verification_codes as c (market, phone, code_hash, expires_at, client_ip)
    values (login_market, login_phone, issue_login_code.code_hash,
            now() + make_interval(secs => valid_seconds), issue_login_code.client_ip)
    returning c.market into code_market;
    return next;
end
$$;

-- Checks a code's HMAC against the phone's newest code, counts the try and, if it matches,
-- consumes the code: one UPDATE, which counts only while fewer than max_tries were made, so
-- parallel or repeated calls cannot pass the limit, and nothing resets it. Answers
--   ok      and the phone's user (created on the first login, in an open market);
--   wrong   a counted wrong try;
--   locked  the code took its tries; retry_after: seconds until a new code may be asked;
--   none    no live code (never sent, expired, used or voided).
-- A caller without the code's HMAC (made with the server's key) can only use up tries.
create or replace function app.redeem_login_code(code_hash text, max_tries int, resend_seconds int)
    returns table (outcome text, retry_after bigint,
                   id bigint, market text, phone text, name text, created_at timestamptz)
    language plpgsql volatile security definer
    set search_path = pg_catalog, pg_temp
as $$
#variable_conflict use_column
declare
    login_phone  constant text := app.current_phone();
    login_market constant text := app.current_market();
    matched boolean;
begin
    if login_phone is null or login_market is null then
        raise exception 'no login phone in this context' using errcode = '42501';
    end if;
    update public.verification_codes v
       set attempts = v.attempts + 1,
           consumed_at = case when v.code_hash = redeem_login_code.code_hash then now() end
     where v.id = (select c.id from public.verification_codes c
                   where c.phone = login_phone and c.market = login_market
                   order by c.created_at desc, c.id desc limit 1)
       and v.consumed_at is null and v.expires_at > now() and v.attempts < max_tries
    returning v.consumed_at is not null into matched;
    if matched is null then
        select 'locked', greatest(1, ceil(extract(epoch from c.created_at + make_interval(secs => resend_seconds) - now())))
          into outcome, retry_after
          from public.verification_codes c
         where c.id = (select n.id from public.verification_codes n
                       where n.phone = login_phone and n.market = login_market
                       order by n.created_at desc, n.id desc limit 1)
           and c.consumed_at is null and c.expires_at > now() and c.attempts >= max_tries;
        outcome := coalesce(outcome, 'none');
        return next;
        return;
    end if;
    if not matched then
        outcome := 'wrong';
        return next;
        return;
    end if;
    outcome := 'ok';
    select u.id, u.market, u.phone, u.name, u.created_at into id, market, phone, name, created_at
      from public.users u where u.phone = login_phone and u.market = login_market;
    if id is null then
        -- the market is the phone's (app.market_from_phone checks it is open for a sign-up)
        insert into public.users as u (market, phone) values (login_market, login_phone)
        returning u.id, u.market, u.phone, u.name, u.created_at into id, market, phone, name, created_at;
    end if;
    return next;
end
$$;

revoke execute on function app.issue_login_code(text, text, int, int, int), app.redeem_login_code(text, int, int)
    from public;
-- login requests run as guests; no other role logs in
grant execute on function app.issue_login_code(text, text, int, int, int), app.redeem_login_code(text, int, int)
    to market_guest;
