-- R__10_reference.sql: reference data every request may read.
--
-- `markets` holds no market-private data (names, currencies, time zones, providers), so it is a
-- REFERENCE TABLE WITHOUT RLS, on purpose. It is the only such table that the request roles can
-- read; db-policies/audit.sql carries it in its explicit allow-list.

revoke all on schema public from public;
grant usage on schema public to market_guest, market_customer, market_manager, market_reporter;

revoke all on table markets from public, market_app, market_guest, market_customer, market_manager;
grant select on table markets to market_guest, market_customer, market_manager;

-- order_counters: the last order number handed out per market. Only checkout touches it
-- (through the orders trigger, with the customer's rights), only for the current market.
alter table order_counters enable row level security;
alter table order_counters force row level security;
revoke all on table order_counters from public, market_app, market_guest, market_customer, market_manager;
grant select, update (last_number) on table order_counters to market_customer;

drop policy if exists "Customers read the order counter of their market" on order_counters;
create policy "Customers read the order counter of their market"
    on order_counters for select to market_customer
    using (market = (select app.current_market()));

drop policy if exists "Customers advance the order counter of their market" on order_counters;
create policy "Customers advance the order counter of their market"
    on order_counters for update to market_customer
    using (market = (select app.current_market()))
    with check (market = (select app.current_market()));
