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

-- Login runs as a guest whose context also carries the phone (app.current_phone()).
grant select, insert on table users to market_guest;
grant select, insert, update (attempts, consumed_at) on table verification_codes to market_guest;
grant insert on table sms_outbox to market_guest;

grant select, update (name) on table users to market_customer;
grant select, insert, update, delete on table addresses, payment_methods to market_customer;
grant select, insert, update (read_at) on table notifications to market_customer;

grant select on table users, addresses, payment_methods to market_manager;
grant select, insert on table notifications to market_manager;

-- ---------------------------------------------------------------- users
drop policy if exists "Guests find the user of the phone they log in with" on users;
create policy "Guests find the user of the phone they log in with"
    on users for select to market_guest
    using (market = (select app.current_market()) and phone = (select app.current_phone()));

drop policy if exists "Guests sign up with the phone they log in with" on users;
create policy "Guests sign up with the phone they log in with"
    on users for insert to market_guest
    with check (market = (select app.current_market()) and phone = (select app.current_phone()));

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
drop policy if exists "Guests see the codes of the phone they log in with" on verification_codes;
create policy "Guests see the codes of the phone they log in with"
    on verification_codes for select to market_guest
    using (market = (select app.current_market()) and phone = (select app.current_phone()));

drop policy if exists "Guests request codes for the phone they log in with" on verification_codes;
create policy "Guests request codes for the phone they log in with"
    on verification_codes for insert to market_guest
    with check (market = (select app.current_market()) and phone = (select app.current_phone()));

drop policy if exists "Guests use up codes of the phone they log in with" on verification_codes;
create policy "Guests use up codes of the phone they log in with"
    on verification_codes for update to market_guest
    using (market = (select app.current_market()) and phone = (select app.current_phone()))
    with check (market = (select app.current_market()) and phone = (select app.current_phone()));

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
