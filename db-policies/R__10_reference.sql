-- R__10_reference.sql: reference data every request may read.
--
-- `markets` holds no market-private data (names, currencies, time zones, providers), so it is a
-- REFERENCE TABLE WITHOUT RLS, on purpose. It is the only such table that the request roles can
-- read; db-policies/audit.sql carries it in its explicit allow-list.

revoke all on schema public from public;
grant usage on schema public to market_guest, market_customer, market_manager, market_reporter;

revoke all on table markets from public, market_app, market_guest, market_customer, market_manager, market_reporter;
grant select on table markets to market_guest, market_customer, market_manager;

-- order_counters: the last order number handed out per market. Only checkout touches it
-- (through the orders trigger, with the customer's rights), only for the current market.
alter table order_counters enable row level security;
alter table order_counters force row level security;
revoke all on table order_counters from public, market_app, market_guest, market_customer, market_manager, market_reporter;
grant select, update (last_number) on table order_counters to market_customer;

drop policy if exists "Customers read the order counter of their market" on order_counters;
create policy "Customers read the order counter of their market"
    on order_counters for select to market_customer
    using ((select app.current_user_id()) is not null and market = (select app.current_market()));

drop policy if exists "Customers advance the order counter of their market" on order_counters;
create policy "Customers advance the order counter of their market"
    on order_counters for update to market_customer
    using ((select app.current_user_id()) is not null and market = (select app.current_market()))
    with check ((select app.current_user_id()) is not null and market = (select app.current_market()));

-- The counter only moves forward, one number at a time (the orders trigger's `+ 1`). Without this
-- a customer could reset it, so that every later order number of the market collides, or push it
-- to the end of bigint; the policies above cannot compare a row with its previous value.
create or replace function app.step_order_counter() returns trigger
    language plpgsql
as $$
begin
    if new.market is distinct from old.market or new.last_number <> old.last_number + 1 then
        raise exception 'order counter of % only moves forward one number at a time', old.market
            using errcode = '42501';
    end if;
    return new;
end
$$;
drop trigger if exists order_counters_step on order_counters;
create trigger order_counters_step before update on order_counters
    for each row execute function app.step_order_counter();

revoke execute on all functions in schema app from public;
grant execute on function app.step_order_counter() to market_customer;
