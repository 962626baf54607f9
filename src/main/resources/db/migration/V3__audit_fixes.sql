-- V3__audit_fixes.sql: what db-policies/audit.sql found in V1/V2 (check foreign_key_not_indexed).
--
-- Both tables point at markets (code, currency) but had no index leading with those columns, so
-- changing a market's currency (or deleting a market) scanned and locked the whole child table.
-- Small tables today; on a large live orders table build the index CONCURRENTLY by hand first
-- (same name), and this migration's IF NOT EXISTS leaves it alone.
create index if not exists orders_market_currency_idx on orders (market, currency);
create index if not exists revenue_snapshots_market_currency_idx on revenue_snapshots (market, currency);
