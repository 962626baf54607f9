-- R__70_sessions.sql: login sessions and their refresh tokens.
--
-- A session belongs to one user in one market, like an address: customers (and managers, whose
-- session endpoints run as customers of their own market) see, renew and end only their own.
-- Managers as such get nothing here. Guests never read these tables: exchanging a refresh token
-- starts before the caller is known, and goes through app.refresh_token_session() below, which
-- answers for the one token whose hash it is given.

alter table sessions       enable row level security;
alter table sessions       force row level security;
alter table refresh_tokens enable row level security;
alter table refresh_tokens force row level security;

revoke all on table sessions, refresh_tokens
    from public, market_app, market_guest, market_customer, market_manager, market_reporter;

grant select, insert, update (last_used_at, expires_at, ended_at, end_reason) on table sessions to market_customer;
grant select, insert, update (rotated_at) on table refresh_tokens to market_customer;

-- ---------------------------------------------------------------- sessions
drop policy if exists "Customers see their own sessions in their market" on sessions;
create policy "Customers see their own sessions in their market"
    on sessions for select to market_customer
    using (user_id = (select app.current_user_id()) and market = (select app.current_market()));

drop policy if exists "Customers open their own sessions in their market" on sessions;
create policy "Customers open their own sessions in their market"
    on sessions for insert to market_customer
    with check (user_id = (select app.current_user_id()) and market = (select app.current_market())
                and ended_at is null);

-- an ended session stays ended: only live rows can be changed
drop policy if exists "Customers renew or end their own live sessions" on sessions;
create policy "Customers renew or end their own live sessions"
    on sessions for update to market_customer
    using (user_id = (select app.current_user_id()) and market = (select app.current_market())
           and ended_at is null)
    with check (user_id = (select app.current_user_id()) and market = (select app.current_market()));

drop trigger if exists sessions_10_market on sessions;
create trigger sessions_10_market before insert on sessions
    for each row execute function app.market_from_user();

-- ---------------------------------------------------------------- refresh_tokens
drop policy if exists "Customers see their own refresh tokens in their market" on refresh_tokens;
create policy "Customers see their own refresh tokens in their market"
    on refresh_tokens for select to market_customer
    using (user_id = (select app.current_user_id()) and market = (select app.current_market()));

drop policy if exists "Customers add refresh tokens to their own sessions" on refresh_tokens;
create policy "Customers add refresh tokens to their own sessions"
    on refresh_tokens for insert to market_customer
    -- the composite foreign key ties the token to a session of this same user and market
    with check (user_id = (select app.current_user_id()) and market = (select app.current_market())
                and rotated_at is null);

-- an exchanged token stays exchanged: only unused rows can be changed
drop policy if exists "Customers exchange their own unused refresh tokens" on refresh_tokens;
create policy "Customers exchange their own unused refresh tokens"
    on refresh_tokens for update to market_customer
    using (user_id = (select app.current_user_id()) and market = (select app.current_market())
           and rotated_at is null)
    with check (user_id = (select app.current_user_id()) and market = (select app.current_market()));

drop trigger if exists refresh_tokens_10_market on refresh_tokens;
create trigger refresh_tokens_10_market before insert on refresh_tokens
    for each row execute function app.market_from_user();

-- ---------------------------------------------------------------- exchanging a refresh token
-- The session (and its user and market) that holds the refresh token with this SHA-256 hash, in
-- any state; no row for an unknown hash. SECURITY DEFINER (owner's rights, pinned search_path):
-- the caller is a guest until the token names them, and the tables show guests nothing. It needs
-- the hash of a token the caller holds, so it cannot list or find anyone else's session; the
-- exchange itself then runs as that customer, under the policies above.
create or replace function app.refresh_token_session(hash text)
    returns table (session_id bigint, user_id bigint, market text)
    language sql stable security definer parallel safe
    set search_path = pg_catalog, pg_temp
as $$
    select t.session_id, t.user_id, t.market
    from public.refresh_tokens t
    where t.token_hash = hash
$$;

-- ---------------------------------------------------------------- a manager loses access
-- A manager who loses a market (grant-manager with fewer markets) or stops being a manager loses
-- every session at once. Runs with the rights of whoever removes the access (the owner).
create or replace function app.end_sessions_of_user() returns trigger
    language plpgsql
as $$
begin
    update public.sessions
       set ended_at = now(), end_reason = 'access_removed'
     where user_id = old.user_id and ended_at is null;
    return null;
end
$$;
drop trigger if exists store_manager_markets_end_sessions on store_manager_markets;
create trigger store_manager_markets_end_sessions after delete on store_manager_markets
    for each row execute function app.end_sessions_of_user();
drop trigger if exists store_managers_end_sessions on store_managers;
create trigger store_managers_end_sessions after delete on store_managers
    for each row execute function app.end_sessions_of_user();

revoke execute on all functions in schema app from public;
-- guests exchange refresh tokens; nobody else needs to
grant execute on function app.refresh_token_session(text) to market_guest;
