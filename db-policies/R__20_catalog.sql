-- R__20_catalog.sql: categories, products, product_prices, banners.
--
-- Catalog rows belong to one market or to 'ALL'. Guests and customers read the active rows of
-- the current market and of ALL. Managers write rows of the market they manage; rows of ALL
-- only when they manage every market, open or closed (app.writable_markets, below).
-- Prices are per selling market: a KG request only
-- ever sees KG prices, also for an ALL product. A customer context without a user (no
-- app.current_user_id()) is broken, not anonymous: it sees nothing, not even the catalog (fail closed).

alter table categories     enable row level security;
alter table categories     force row level security;
alter table products       enable row level security;
alter table products       force row level security;
alter table product_prices enable row level security;
alter table product_prices force row level security;
alter table banners        enable row level security;
alter table banners        force row level security;

revoke all on table categories, products, product_prices, banners
    from public, market_app, market_guest, market_customer, market_manager, market_reporter;
grant select on table categories, products, product_prices, banners to market_guest, market_customer;
grant select, insert, update, delete on table categories, products, product_prices, banners to market_manager;
-- customers change no catalog column: checkout takes stock through the order_items trigger
-- app.place_item() (R__50_orders.sql), which only decrements, for the order being placed

-- ---------------------------------------------------------------- who may write
-- The catalog write rule, the one place it is written: the markets whose catalog rows the current
-- manager may write. Their current market, if they manage it; and 'ALL' if they manage every
-- market. The write policies below read it once per statement; the server's check
-- (CatalogScope) asks it too, so the API refuses what the policies would. '{}' for any other
-- manager; a guest or customer asking gets 42501 (they may not read store_manager_markets).
create or replace function app.writable_markets() returns text[]
    language sql stable parallel safe
as $$
    select case when not app.manages_current_market() then '{}'::text[]
                when app.manages_all_markets() then array[app.current_market(), 'ALL']
                else array[app.current_market()] end
$$;

grant execute on function app.writable_markets() to market_guest, market_customer, market_manager;

-- ---------------------------------------------------------------- categories
drop policy if exists "Guests see active categories of their market and of ALL" on categories;
create policy "Guests see active categories of their market and of ALL"
    on categories for select to market_guest
    using (market = any ((select app.visible_markets())::text[]) and is_active);

drop policy if exists "Customers see active categories of their market and of ALL" on categories;
create policy "Customers see active categories of their market and of ALL"
    on categories for select to market_customer
    using ((select app.current_user_id()) is not null
           and market = any ((select app.visible_markets())::text[]) and is_active);

drop policy if exists "Managers see categories of their market and of ALL" on categories;
create policy "Managers see categories of their market and of ALL"
    on categories for select to market_manager
    using ((select app.manages_current_market())
           and market = any ((select app.visible_markets())::text[]));

drop policy if exists "Managers add categories to their market (ALL: every market)" on categories;
create policy "Managers add categories to their market (ALL: every market)"
    on categories for insert to market_manager
    with check (market = any ((select app.writable_markets())::text[]));

drop policy if exists "Managers change categories of their market (ALL: every market)" on categories;
create policy "Managers change categories of their market (ALL: every market)"
    on categories for update to market_manager
    using (market = any ((select app.writable_markets())::text[]))
    -- the new row must stay in a market the manager may write: no moving rows between markets
    with check (market = any ((select app.writable_markets())::text[]));

drop policy if exists "Managers delete categories of their market (ALL: every market)" on categories;
create policy "Managers delete categories of their market (ALL: every market)"
    on categories for delete to market_manager
    using (market = any ((select app.writable_markets())::text[]));

-- ---------------------------------------------------------------- products
drop policy if exists "Guests see active products of their market and of ALL" on products;
create policy "Guests see active products of their market and of ALL"
    on products for select to market_guest
    using (market = any ((select app.visible_markets())::text[]) and is_active);

drop policy if exists "Customers see active products of their market and of ALL" on products;
create policy "Customers see active products of their market and of ALL"
    on products for select to market_customer
    using ((select app.current_user_id()) is not null
           and market = any ((select app.visible_markets())::text[]) and is_active);

drop policy if exists "Customers take stock of active products they can see" on products;

drop policy if exists "Managers see products of their market and of ALL" on products;
create policy "Managers see products of their market and of ALL"
    on products for select to market_manager
    using ((select app.manages_current_market())
           and market = any ((select app.visible_markets())::text[]));

drop policy if exists "Managers add products to their market (ALL: every market)" on products;
create policy "Managers add products to their market (ALL: every market)"
    on products for insert to market_manager
    with check (market = any ((select app.writable_markets())::text[]));

drop policy if exists "Managers change products of their market (ALL: every market)" on products;
create policy "Managers change products of their market (ALL: every market)"
    on products for update to market_manager
    using (market = any ((select app.writable_markets())::text[]))
    with check (market = any ((select app.writable_markets())::text[]));

drop policy if exists "Managers delete products of their market (ALL: every market)" on products;
create policy "Managers delete products of their market (ALL: every market)"
    on products for delete to market_manager
    using (market = any ((select app.writable_markets())::text[]));

-- ---------------------------------------------------------------- product_prices
-- A price row is one market's price of one product; the market column is the whole filter, like
-- the WHERE pp.market = ... a hand-written query would use. The product's own policy decides
-- whether the product is shown: the API only reads prices joined to visible products. (Checking
-- the product inside this policy too cost a scan of the whole catalog per query; see
-- docs/BENCHMARKS.md. What remains visible by direct SQL is the price, in the caller's own market,
-- of a product that is not published yet: see docs/SECURITY.md.)
drop policy if exists "Guests see prices of visible products in their market" on product_prices;
drop policy if exists "Guests see prices of their market" on product_prices;
create policy "Guests see prices of their market"
    on product_prices for select to market_guest
    using (market = (select app.current_market()));

drop policy if exists "Customers see prices of visible products in their market" on product_prices;
drop policy if exists "Customers see prices of their market" on product_prices;
create policy "Customers see prices of their market"
    on product_prices for select to market_customer
    using (market = (select app.current_market()) and (select app.current_user_id()) is not null);

drop policy if exists "Managers see prices of their market" on product_prices;
create policy "Managers see prices of their market"
    on product_prices for select to market_manager
    using ((select app.manages_current_market()) and market = (select app.current_market()));

drop policy if exists "Managers set prices in their market" on product_prices;
create policy "Managers set prices in their market"
    on product_prices for insert to market_manager
    with check ((select app.manages_current_market()) and market = (select app.current_market()));

drop policy if exists "Managers change prices in their market" on product_prices;
create policy "Managers change prices in their market"
    on product_prices for update to market_manager
    using ((select app.manages_current_market()) and market = (select app.current_market()))
    with check ((select app.manages_current_market()) and market = (select app.current_market()));

drop policy if exists "Managers delete prices in their market" on product_prices;
create policy "Managers delete prices in their market"
    on product_prices for delete to market_manager
    using ((select app.manages_current_market()) and market = (select app.current_market()));

-- ---------------------------------------------------------------- banners
drop policy if exists "Guests see active banners of their market and of ALL" on banners;
create policy "Guests see active banners of their market and of ALL"
    on banners for select to market_guest
    using (market = any ((select app.visible_markets())::text[]) and is_active);

drop policy if exists "Customers see active banners of their market and of ALL" on banners;
create policy "Customers see active banners of their market and of ALL"
    on banners for select to market_customer
    using ((select app.current_user_id()) is not null
           and market = any ((select app.visible_markets())::text[]) and is_active);

drop policy if exists "Managers see banners of their market and of ALL" on banners;
create policy "Managers see banners of their market and of ALL"
    on banners for select to market_manager
    using ((select app.manages_current_market())
           and market = any ((select app.visible_markets())::text[]));

drop policy if exists "Managers add banners to their market (ALL: every market)" on banners;
create policy "Managers add banners to their market (ALL: every market)"
    on banners for insert to market_manager
    with check (market = any ((select app.writable_markets())::text[]));

drop policy if exists "Managers change banners of their market (ALL: every market)" on banners;
create policy "Managers change banners of their market (ALL: every market)"
    on banners for update to market_manager
    using (market = any ((select app.writable_markets())::text[]))
    with check (market = any ((select app.writable_markets())::text[]));

drop policy if exists "Managers delete banners of their market (ALL: every market)" on banners;
create policy "Managers delete banners of their market (ALL: every market)"
    on banners for delete to market_manager
    using (market = any ((select app.writable_markets())::text[]));

-- ---------------------------------------------------------------- triggers
-- A catalog row is sold in one existing market or in ALL, and the category it hangs under (the
-- column named by the trigger's argument: a category's parent_id, a product's category_id) is
-- sold there too. The lookup runs with the caller's rights: a category the caller cannot see does
-- not exist, so no row hangs under another market's, and no foreign id can be probed through the key.
create or replace function app.check_catalog_row() returns trigger
    language plpgsql
as $$
declare
    category_id bigint := case when tg_nargs > 0 then (to_jsonb(new) ->> tg_argv[0])::bigint end;
begin
    if new.market <> 'ALL' and not exists (select 1 from public.markets k where k.code = new.market) then
        raise exception 'unknown market %', new.market using errcode = '23503';
    end if;
    if category_id is not null and not exists (
            select 1 from public.categories c
            where c.id = category_id and c.market in (new.market, 'ALL')) then
        raise exception 'category % is not available in market %', category_id, new.market
            using errcode = '23503';
    end if;
    return new;
end
$$;
drop trigger if exists categories_market_scope on categories;
drop trigger if exists categories_check on categories;
create trigger categories_check before insert or update of market, parent_id on categories
    for each row execute function app.check_catalog_row('parent_id');
drop trigger if exists products_check on products;
create trigger products_check before insert or update of market, category_id on products
    for each row execute function app.check_catalog_row('category_id');
drop trigger if exists banners_market_scope on banners;
create trigger banners_market_scope before insert or update of market on banners
    for each row execute function app.check_catalog_row();
-- the three functions this one replaces
drop function if exists app.check_category();
drop function if exists app.check_product();
drop function if exists app.check_market_scope();

-- A price is set in the market's currency, for a product sold in that market.
create or replace function app.fill_product_price() returns trigger
    language plpgsql
as $$
begin
    new.currency := (select k.currency from public.markets k where k.code = new.market);
    if not exists (select 1 from public.products p
                   where p.id = new.product_id and p.market in (new.market, 'ALL')) then
        raise exception 'product % is not sold in market %', new.product_id, new.market
            using errcode = '23503';
    end if;
    return new;
end
$$;
drop trigger if exists product_prices_fill on product_prices;
create trigger product_prices_fill before insert or update on product_prices
    for each row execute function app.fill_product_price();

revoke execute on all functions in schema app from public;
grant execute on function app.check_catalog_row(), app.fill_product_price()
    to market_guest, market_customer, market_manager;
