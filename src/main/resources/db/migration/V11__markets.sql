-- V11: markets are data that the owner's `market add|open|close` commands change.
--
-- One market per libphonenumber region: the region of a phone number names exactly one market
-- (+1 is shared by the US, Canada and the Caribbean, so the calling code cannot).
create unique index markets_phone_region_key on markets (phone_region);

-- The commands record what they did in audit_log, with no manager: the owner runs them. Managers
-- still cannot write such a row (their policy requires manager_id = the current user).
alter table audit_log alter column manager_id drop not null;
alter table audit_log add constraint audit_log_only_market_commands_without_manager
    check (manager_id is not null or entity = 'market');
