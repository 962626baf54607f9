-- V10: login sessions and their refresh tokens (policies: db-policies/R__70_sessions.sql).
--
-- A session is one login on one device: it lives as long as its refresh token is exchanged within
-- the refresh lifetime, and ends at logout, logout-all, refresh-token reuse or a manager's lost
-- access. Access tokens carry the session id (claim "sid") and are refused once it has ended.
-- Refresh tokens are stored only as SHA-256 hashes; every token a session ever had stays, so that
-- presenting an exchanged one is recognised as reuse (and ends the session).
create table sessions (
    id           bigint generated always as identity primary key,
    user_id      bigint not null,
    market       text not null,
    user_agent   text check (char_length(user_agent) <= 300),
    created_at   timestamptz not null default now(),
    last_used_at timestamptz not null default now(),
    expires_at   timestamptz not null,
    ended_at     timestamptz,
    end_reason   text check (end_reason in ('logout', 'logout_all', 'reuse', 'access_removed')),
    check ((ended_at is null) = (end_reason is null)),
    unique (id, user_id, market),
    foreign key (user_id, market) references users (id, market) on delete cascade
);
-- a user's sessions, and the policies' filter (market, user_id)
create index sessions_market_user_idx on sessions (market, user_id);

create table refresh_tokens (
    token_hash text primary key check (token_hash ~ '^[0-9a-f]{64}$'),
    session_id bigint not null,
    user_id    bigint not null,
    market     text not null,
    created_at timestamptz not null default now(),
    -- when it was exchanged for the next one; a token is usable only while this is null
    rotated_at timestamptz,
    foreign key (session_id, user_id, market) references sessions (id, user_id, market) on delete cascade
);
create index refresh_tokens_market_session_idx on refresh_tokens (market, session_id, user_id);
