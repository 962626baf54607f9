-- One index serves both hot order reads of a market: the newest-first list (scanned backwards,
-- order_date then id, no sort step) and a day's revenue (status and total_amount included, so it
-- is answered from the index alone). It replaces orders_market_date_idx (market, order_date desc).
drop index orders_market_date_idx;
create index orders_market_date_idx on orders (market, order_date, id) include (status, total_amount);
