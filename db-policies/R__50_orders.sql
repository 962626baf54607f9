-- R__50_orders.sql: orders and order items.
--
-- An order's market is its buyer's market, copied by the database (never taken from the caller),
-- its currency is the market's, and its number comes from the market's own counter (KG-000123).
-- Customers read and place their own orders; managers read and move orders of the market they
-- manage. Nobody but the owner deletes an order.

alter table orders      enable row level security;
alter table orders      force row level security;
alter table order_items enable row level security;
alter table order_items force row level security;

revoke all on table orders, order_items
    from public, market_app, market_guest, market_customer, market_manager, market_reporter;
grant select, insert on table orders, order_items to market_customer;
grant select on table orders, order_items to market_manager;
grant update (status, updated_at) on table orders to market_manager;
-- the revenue job reads only the columns revenue needs: no buyer, no address, no items
grant select (market, status, total_amount, currency, order_date) on table orders to market_reporter;

-- ---------------------------------------------------------------- orders
drop policy if exists "Customers see their own orders in their market" on orders;
create policy "Customers see their own orders in their market"
    on orders for select to market_customer
    using (user_id = (select app.current_user_id()) and market = (select app.current_market()));

drop policy if exists "Customers place their own orders in their market" on orders;
create policy "Customers place their own orders in their market"
    on orders for insert to market_customer
    with check (user_id = (select app.current_user_id()) and market = (select app.current_market()));

drop policy if exists "Managers see orders of the market they manage" on orders;
create policy "Managers see orders of the market they manage"
    on orders for select to market_manager
    using ((select app.manages_current_market()) and market = (select app.current_market()));

drop policy if exists "Managers move orders of the market they manage" on orders;
create policy "Managers move orders of the market they manage"
    on orders for update to market_manager
    using ((select app.manages_current_market()) and market = (select app.current_market()))
    with check ((select app.manages_current_market()) and market = (select app.current_market()));

-- The revenue snapshot job (role market_reporter, no user) runs one transaction per market.
drop policy if exists "The revenue job reads orders of one market at a time" on orders;
create policy "The revenue job reads orders of one market at a time"
    on orders for select to market_reporter
    using (market = (select app.current_market()));

-- Market from the user (trigger app.market_from_user), then currency and number from the market.
-- A request's order is placed the way the API places it: to the buyer's own address, with a card
-- of theirs that has not expired (the foreign keys hold "own"), and priced by its items only.
create or replace function app.fill_order() returns trigger
    language plpgsql
as $$
declare
    n bigint;
begin
    new.currency := (select k.currency from public.markets k where k.code = new.market);
    update public.order_counters c set last_number = c.last_number + 1
        where c.market = new.market
        returning c.last_number into n;
    if n is null then
        raise exception 'no order counter for market %', new.market using errcode = '42501';
    end if;
    new.order_number := new.market || '-' || lpad(n::text, 6, '0');
    -- a request's order is dated by the database (a backdated order would change a closed day's
    -- revenue); the owner's loads keep the dates and totals they give
    new.order_date := case when app.current_user_id() is null then coalesce(new.order_date, now()) else now() end;
    if app.current_user_id() is not null then
        new.status := 'pending';
        -- whatever the caller sent: each item adds its line at the market's price (app.place_item)
        new.total_amount := 0;
        if new.address_id is null or new.payment_method_id is null then
            raise exception 'an order needs the buyer''s address and payment method' using errcode = '23514';
        end if;
        -- the checkout's rule, in the market's time zone: a card is good through its expiry month
        if exists (select 1 from public.payment_methods pm join public.markets k on k.code = new.market
                   where pm.id = new.payment_method_id
                     and make_date(pm.exp_year, pm.exp_month, 1)
                         < date_trunc('month', now() at time zone k.timezone)::date) then
            raise exception 'payment method % has expired', new.payment_method_id using errcode = '23514';
        end if;
    end if;
    return new;
end
$$;
-- a closed market takes no orders (app.require_open_market, R__05_markets.sql)
drop trigger if exists orders_05_open on orders;
create trigger orders_05_open before insert on orders
    for each row execute function app.require_open_market();
drop trigger if exists orders_10_market on orders;
create trigger orders_10_market before insert on orders
    for each row execute function app.market_from_user();
drop trigger if exists orders_20_fill on orders;
create trigger orders_20_fill before insert on orders
    for each row execute function app.fill_order();

-- ---------------------------------------------------------------- order_items
drop policy if exists "Customers see the items of their own orders" on order_items;
create policy "Customers see the items of their own orders"
    on order_items for select to market_customer
    -- user_id and market are the order's, copied by trigger and held by the composite foreign key
    using (user_id = (select app.current_user_id()) and market = (select app.current_market()));

drop policy if exists "Customers add items to their own orders" on order_items;
create policy "Customers add items to their own orders"
    on order_items for insert to market_customer
    with check (user_id = (select app.current_user_id()) and market = (select app.current_market()));

drop policy if exists "Managers see order items of the market they manage" on order_items;
create policy "Managers see order items of the market they manage"
    on order_items for select to market_manager
    using ((select app.manages_current_market()) and market = (select app.current_market()));

-- An item's market and buyer are its order's (the composite foreign key (order_id, user_id,
-- market) checks them too). Runs with the caller's rights: an order the caller cannot see
-- yields NULL and the insert fails.
create or replace function app.market_from_order() returns trigger
    language plpgsql
as $$
begin
    select o.market, o.user_id into new.market, new.user_id from public.orders o where o.id = new.order_id;
    if new.market is null then
        raise exception 'order % is not visible', new.order_id using errcode = '42501';
    end if;
    return new;
end
$$;
drop trigger if exists order_items_10_market on order_items;
create trigger order_items_10_market before insert on order_items
    for each row execute function app.market_from_order();

-- An item of a request's order is priced and takes its stock here, all or nothing: no request role
-- may UPDATE products.stock or orders.total_amount. With the owner's rights, and only for an order
-- placed in this very transaction: the product's name and the price of the order's market replace
-- whatever the caller sent, the line's total is added to the order's, and the product's stock goes
-- down by the quantity, never below zero. One line per product (as in the cart); 1 to 1000 of it
-- (order_items_quantity_check, V12__priced_orders.sql).
drop trigger if exists order_items_20_stock on order_items;
drop function if exists app.take_stock();
create or replace function app.place_item() returns trigger
    language plpgsql security definer
    set search_path = pg_catalog, pg_temp
as $$
declare
    market_price numeric(12, 2);
    product text;
begin
    -- the owner's loads (demo data, generators) keep what they give; every request's insert has a
    -- user, and without one the policy of order_items refuses the row anyway
    if app.current_user_id() is null then
        return new;
    end if;
    -- the order being placed: dated by fill_order() with this transaction's start, still pending
    if not exists (select 1 from public.orders o
                   where o.id = new.order_id and o.order_date = now() and o.status = 'pending') then
        raise exception 'order % was not placed in this transaction', new.order_id using errcode = '42501';
    end if;
    -- no price in the order's market, no sale: such an item takes no stock
    select pp.price into market_price from public.product_prices pp
    where pp.product_id = new.product_id and pp.market = new.market;
    update public.products p set stock = p.stock - new.quantity, updated_at = now()
    where p.id = new.product_id and p.market in (new.market, 'ALL') and p.is_active
      and market_price is not null and p.stock >= new.quantity
    returning p.name into product;
    if not found then
        raise exception 'product % is not for sale in % or not enough in stock', new.product_id, new.market
            using errcode = 'MB001';
    end if;
    -- one line per product, as in the cart (the stock taken above goes back with the statement)
    if exists (select 1 from public.order_items i where i.order_id = new.order_id and i.product_id = new.product_id) then
        raise exception 'product % is already in order %', new.product_id, new.order_id using errcode = '23505';
    end if;
    new.product_name := product;
    new.unit_price := market_price;
    new.line_total := market_price * new.quantity;
    update public.orders o set total_amount = o.total_amount + new.line_total where o.id = new.order_id;
    return new;
end
$$;
drop trigger if exists order_items_20_place on order_items;
create trigger order_items_20_place before insert on order_items
    for each row execute function app.place_item();

-- A request's order has at least one item, checked at commit (the items follow the order). With
-- the owner's rights: the check does not depend on the context still verifying at commit.
create or replace function app.require_items() returns trigger
    language plpgsql security definer
    set search_path = pg_catalog, pg_temp
as $$
begin
    if not exists (select 1 from public.order_items i where i.order_id = new.id) then
        raise exception 'order % has no items', new.id using errcode = '23514';
    end if;
    return null;
end
$$;
drop trigger if exists orders_30_items on orders;
create constraint trigger orders_30_items after insert on orders
    deferrable initially deferred
    for each row when (app.current_user_id() is not null) execute function app.require_items();

revoke execute on all functions in schema app from public;
grant execute on function app.fill_order(), app.market_from_order()
    to market_guest, market_customer, market_manager;
