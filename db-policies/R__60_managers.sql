-- R__60_managers.sql: store managers, their markets and settings, revenue, the audit log.
--
-- Which markets a manager may manage is DATA (store_manager_markets), read by
-- app.manages_current_market() inside every manager policy. A manager token alone opens nothing:
-- revoke a market here and the next transaction of that manager sees nothing of it.
-- Who manages which market is set by the owner (`grant-manager` command); managers only read their own.

alter table store_managers        enable row level security;
alter table store_managers        force row level security;
alter table store_manager_markets enable row level security;
alter table store_manager_markets force row level security;
alter table manager_settings      enable row level security;
alter table manager_settings      force row level security;
alter table revenue_snapshots     enable row level security;
alter table revenue_snapshots     force row level security;
alter table audit_log             enable row level security;
alter table audit_log             force row level security;

revoke all on table store_managers, store_manager_markets, manager_settings, revenue_snapshots, audit_log
    from public, market_app, market_guest, market_customer, market_manager, market_reporter;
grant select on table store_managers, store_manager_markets to market_manager;
grant select, insert, update (active_market, updated_at) on table manager_settings to market_manager;
grant select, insert, update (total_revenue, total_orders, average_order_value, currency, computed_at)
    on table revenue_snapshots to market_manager;
-- the scheduled revenue job (no user, no manager rights): snapshots only, see below
grant select, insert, update (total_revenue, total_orders, average_order_value, currency, computed_at)
    on table revenue_snapshots to market_reporter;
-- append-only: insert and select, never update or delete
grant select, insert on table audit_log to market_manager;

-- ---------------------------------------------------------------- store_managers
-- Like every manager table: nothing outside a market the manager manages. The server reads a
-- manager's record before it knows the market through app.manager_access() (R__05_markets.sql).
drop policy if exists "Managers see their own manager record" on store_managers;
create policy "Managers see their own manager record"
    on store_managers for select to market_manager
    using ((select app.manages_current_market()) and user_id = (select app.current_user_id()));

-- ---------------------------------------------------------------- store_manager_markets
-- A manager sees their own grant for the market being served, and no other row.
-- (The full list of a manager's markets comes from app.my_markets().)
drop policy if exists "Managers see which markets they manage" on store_manager_markets;
drop policy if exists "Managers see their grant for the current market" on store_manager_markets;
create policy "Managers see their grant for the current market"
    on store_manager_markets for select to market_manager
    using (user_id = (select app.current_user_id()) and market = (select app.current_market()));

-- ---------------------------------------------------------------- manager_settings
drop policy if exists "Managers see their own settings" on manager_settings;
create policy "Managers see their own settings"
    on manager_settings for select to market_manager
    using ((select app.manages_current_market()) and user_id = (select app.current_user_id()));

drop policy if exists "Managers create their own settings, with a market they manage" on manager_settings;
create policy "Managers create their own settings, with a market they manage"
    on manager_settings for insert to market_manager
    -- only from a market the manager manages, and only to save a market they manage
    with check ((select app.manages_current_market())
                and user_id = (select app.current_user_id())
                and (active_market is null or active_market = any ((select app.my_markets())::text[])));

drop policy if exists "Managers change their own settings, to a market they manage" on manager_settings;
create policy "Managers change their own settings, to a market they manage"
    on manager_settings for update to market_manager
    using ((select app.manages_current_market()) and user_id = (select app.current_user_id()))
    with check ((select app.manages_current_market())
                and user_id = (select app.current_user_id())
                and (active_market is null or active_market = any ((select app.my_markets())::text[])));

-- ---------------------------------------------------------------- revenue_snapshots
drop policy if exists "Managers see revenue of the market they manage" on revenue_snapshots;
create policy "Managers see revenue of the market they manage"
    on revenue_snapshots for select to market_manager
    using ((select app.manages_current_market()) and market = (select app.current_market()));

drop policy if exists "Managers record revenue of the market they manage" on revenue_snapshots;
create policy "Managers record revenue of the market they manage"
    on revenue_snapshots for insert to market_manager
    with check ((select app.manages_current_market()) and market = (select app.current_market()));

drop policy if exists "Managers refresh revenue of the market they manage" on revenue_snapshots;
create policy "Managers refresh revenue of the market they manage"
    on revenue_snapshots for update to market_manager
    using ((select app.manages_current_market()) and market = (select app.current_market()))
    with check ((select app.manages_current_market()) and market = (select app.current_market()));

-- The scheduled job runs as market_reporter with one market per transaction in its context
-- and no user: it can touch that market's snapshots and nothing of any other market.
drop policy if exists "The revenue job sees revenue of one market at a time" on revenue_snapshots;
create policy "The revenue job sees revenue of one market at a time"
    on revenue_snapshots for select to market_reporter
    using (market = (select app.current_market()));

drop policy if exists "The revenue job records revenue of one market at a time" on revenue_snapshots;
create policy "The revenue job records revenue of one market at a time"
    on revenue_snapshots for insert to market_reporter
    with check (market = (select app.current_market()));

drop policy if exists "The revenue job refreshes revenue of one market at a time" on revenue_snapshots;
create policy "The revenue job refreshes revenue of one market at a time"
    on revenue_snapshots for update to market_reporter
    using (market = (select app.current_market()))
    with check (market = (select app.current_market()));

-- ---------------------------------------------------------------- audit_log
drop policy if exists "Managers read the audit log of the market they manage" on audit_log;
create policy "Managers read the audit log of the market they manage"
    on audit_log for select to market_manager
    using ((select app.manages_current_market()) and market = (select app.current_market()));

drop policy if exists "Managers append their own actions to the audit log" on audit_log;
create policy "Managers append their own actions to the audit log"
    on audit_log for insert to market_manager
    with check ((select app.manages_current_market())
                and market = (select app.current_market())
                and manager_id = (select app.current_user_id())
                -- the server's id of this request; what the client sent goes to client_request_id
                and request_id = (select app.current_request_id()));
