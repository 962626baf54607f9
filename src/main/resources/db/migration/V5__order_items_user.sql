-- Order items carry their order's buyer, like they carry its market: the customer policy on
-- order_items becomes a plain (user_id, market) filter instead of a lookup of the order for every
-- item (the order history page read each item's order again; see docs/BENCHMARKS.md).
-- A composite foreign key (order_id, user_id, market) -> orders keeps the copy exact, whoever writes.

alter table order_items add column user_id bigint;

update order_items i set user_id = o.user_id from orders o where o.id = i.order_id;

alter table order_items alter column user_id set not null;

alter table orders add constraint orders_id_user_market_key unique (id, user_id, market);

alter table order_items drop constraint order_items_order_id_market_fkey;
alter table order_items add constraint order_items_order_user_market_fkey
    foreign key (order_id, user_id, market) references orders (id, user_id, market) on delete cascade;

drop index order_items_order_idx;
create index order_items_order_idx on order_items (order_id, user_id, market);
create index order_items_market_user_idx on order_items (market, user_id, order_id);
