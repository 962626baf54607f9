-- V7: the request context is verified by the database (db-policies/README.md, "The request context").

-- The keys that authenticate a request context. Only the owner reads them: the verifier
-- app.verify_context() runs with the owner's rights. A key is stored as its two HMAC-SHA256 pads
-- (RFC 2104: key xor 0x36.., key xor 0x5c..), so SQL needs nothing but sha256() to check a MAC.
create table app.context_keys (
    id           text primary key,    -- 16 hex digits of sha256(key): a context names the key that signed it
    inner_pad    bytea not null check (length(inner_pad) = 64),
    outer_pad    bytea not null check (length(outer_pad) = 64),
    installed_at timestamptz not null default now()
);
revoke all on table app.context_keys from public;

-- What `migrate` installed last: a fingerprint of the migrations and policies of that build, so a
-- server started with MIGRATE_ON_START=false can refuse an outdated schema without owner rights.
create table app.schema_state (
    singleton    boolean primary key default true check (singleton),
    fingerprint  text not null,
    migrated_at  timestamptz not null default now()
);
revoke all on table app.schema_state from public;

-- The server's own request id is the one the audit log trusts; what the client sent stays beside it.
alter table audit_log add column client_request_id text;
