-- R__40_shopping.sql: carts and wishlists.
--
-- carts and wishlists carry the user's market (set by trigger, checked by a composite foreign
-- key). Their items have no market column: they inherit it through their cart or wishlist, whose
-- own policy binds it to the current user and market. An item may only point at a product that
-- the customer can see (the products policy applies inside the subquery).

alter table carts          enable row level security;
alter table carts          force row level security;
alter table cart_items     enable row level security;
alter table cart_items     force row level security;
alter table wishlists      enable row level security;
alter table wishlists      force row level security;
alter table wishlist_items enable row level security;
alter table wishlist_items force row level security;

revoke all on table carts, cart_items, wishlists, wishlist_items
    from public, market_app, market_guest, market_customer, market_manager, market_reporter;
grant select, insert, delete on table carts, wishlists to market_customer;
grant select, insert, update (quantity), delete on table cart_items to market_customer;
grant select, insert, delete on table wishlist_items to market_customer;

-- ---------------------------------------------------------------- carts
drop policy if exists "Customers see their own cart in their market" on carts;
create policy "Customers see their own cart in their market"
    on carts for select to market_customer
    using (user_id = (select app.current_user_id()) and market = (select app.current_market()));

drop policy if exists "Customers create their own cart in their market" on carts;
create policy "Customers create their own cart in their market"
    on carts for insert to market_customer
    with check (user_id = (select app.current_user_id()) and market = (select app.current_market()));

drop policy if exists "Customers delete their own cart in their market" on carts;
create policy "Customers delete their own cart in their market"
    on carts for delete to market_customer
    using (user_id = (select app.current_user_id()) and market = (select app.current_market()));

drop trigger if exists carts_10_market on carts;
create trigger carts_10_market before insert on carts
    for each row execute function app.market_from_user();

-- ---------------------------------------------------------------- cart_items
drop policy if exists "Customers see the items of their own cart" on cart_items;
create policy "Customers see the items of their own cart"
    on cart_items for select to market_customer
    using (exists (select 1 from carts c
                   where c.id = cart_items.cart_id
                     and c.user_id = (select app.current_user_id())
                     and c.market = (select app.current_market())));

drop policy if exists "Customers put visible products into their own cart" on cart_items;
create policy "Customers put visible products into their own cart"
    on cart_items for insert to market_customer
    with check (exists (select 1 from carts c
                        where c.id = cart_items.cart_id
                          and c.user_id = (select app.current_user_id())
                          and c.market = (select app.current_market()))
                -- products' own policy applies here: only active products of the market or ALL
                and exists (select 1 from products p where p.id = cart_items.product_id));

drop policy if exists "Customers change quantities in their own cart" on cart_items;
create policy "Customers change quantities in their own cart"
    on cart_items for update to market_customer
    using (exists (select 1 from carts c
                   where c.id = cart_items.cart_id
                     and c.user_id = (select app.current_user_id())
                     and c.market = (select app.current_market())))
    with check (exists (select 1 from carts c
                        where c.id = cart_items.cart_id
                          and c.user_id = (select app.current_user_id())
                          and c.market = (select app.current_market()))
                and exists (select 1 from products p where p.id = cart_items.product_id));

drop policy if exists "Customers remove items from their own cart" on cart_items;
create policy "Customers remove items from their own cart"
    on cart_items for delete to market_customer
    using (exists (select 1 from carts c
                   where c.id = cart_items.cart_id
                     and c.user_id = (select app.current_user_id())
                     and c.market = (select app.current_market())));

-- a closed market takes nothing into a cart (app.require_open_market, R__05_markets.sql)
drop trigger if exists cart_items_05_open on cart_items;
create trigger cart_items_05_open before insert or update on cart_items
    for each row execute function app.require_open_market();

-- ---------------------------------------------------------------- wishlists
drop policy if exists "Customers see their own wishlist in their market" on wishlists;
create policy "Customers see their own wishlist in their market"
    on wishlists for select to market_customer
    using (user_id = (select app.current_user_id()) and market = (select app.current_market()));

drop policy if exists "Customers create their own wishlist in their market" on wishlists;
create policy "Customers create their own wishlist in their market"
    on wishlists for insert to market_customer
    with check (user_id = (select app.current_user_id()) and market = (select app.current_market()));

drop policy if exists "Customers delete their own wishlist in their market" on wishlists;
create policy "Customers delete their own wishlist in their market"
    on wishlists for delete to market_customer
    using (user_id = (select app.current_user_id()) and market = (select app.current_market()));

drop trigger if exists wishlists_10_market on wishlists;
create trigger wishlists_10_market before insert on wishlists
    for each row execute function app.market_from_user();

-- ---------------------------------------------------------------- wishlist_items
drop policy if exists "Customers see the items of their own wishlist" on wishlist_items;
create policy "Customers see the items of their own wishlist"
    on wishlist_items for select to market_customer
    using (exists (select 1 from wishlists w
                   where w.id = wishlist_items.wishlist_id
                     and w.user_id = (select app.current_user_id())
                     and w.market = (select app.current_market())));

drop policy if exists "Customers put visible products on their own wishlist" on wishlist_items;
create policy "Customers put visible products on their own wishlist"
    on wishlist_items for insert to market_customer
    with check (exists (select 1 from wishlists w
                        where w.id = wishlist_items.wishlist_id
                          and w.user_id = (select app.current_user_id())
                          and w.market = (select app.current_market()))
                and exists (select 1 from products p where p.id = wishlist_items.product_id));

drop policy if exists "Customers remove items from their own wishlist" on wishlist_items;
create policy "Customers remove items from their own wishlist"
    on wishlist_items for delete to market_customer
    using (exists (select 1 from wishlists w
                   where w.id = wishlist_items.wishlist_id
                     and w.user_id = (select app.current_user_id())
                     and w.market = (select app.current_market())));
