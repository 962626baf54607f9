-- audit.sql: the DBA audit of market-backend's row-level security, grants and indexes.
--
--   psql -X -d market -f db-policies/audit.sql          one result set, "(0 rows)" when all is well
--   psql -X -At -d market -f db-policies/audit.sql      prints nothing at all when all is well
--   java -jar target/market-backend.jar audit [--json]  the same file, from the jar; exit 1 on findings
--
-- One row per finding: (check, object, detail, severity). severity 'error' = a hole in market
-- isolation or in the privilege model; 'warning' = a performance or hygiene problem. Any row is
-- a finding to fix (or to allow-list below, with a reason). Read-only: a single SELECT.
-- Not a Flyway migration (its name matches neither V__ nor R__).
--
-- The roles audited are market_app (the pool's login role) and the four roles it switches to
-- (market_guest, market_customer, market_manager, market_reporter). To audit
-- other names, set them for the session, e.g.
--   PGOPTIONS='-c audit.login_role=my_app -c audit.request_roles=r_guest,r_customer,r_manager' psql ...
-- (the jar sets audit.login_role to DB_USER).
--
-- Checks, in the order they appear below (see db-policies/README.md, "The audit"):
--   RLS         rls_not_enabled, rls_not_forced, rls_enabled_without_policy, policy_on_table_without_rls,
--               market_not_filtered, policy_ignores_market, policy_reads_no_context
--   policies    policy_reads_setting_directly, helper_not_wrapped, permissive_write_always_true,
--               write_policy_without_check, overlapping_permissive_policies, policy_for_public,
--               policy_for_all_commands
--   bypasses    view_bypasses_rls, security_definer_without_search_path, security_definer_executable,
--               helper_volatile, secret_table_readable, context_parameter_settable, builtin_door_open,
--               large_object_owned_by_app_role
--   roles       role_missing, role_superuser, role_bypassrls, role_admin_attribute, login_role_inherits,
--               request_role_can_login, role_can_become_privileged, role_owns_objects
--   privileges  dangerous_privilege, append_only_table_writable, reference_table_writable, public_privilege
--   structure   market_not_indexed, foreign_key_not_indexed, no_primary_key, market_not_set_by_trigger

with
-- ============================================================================ ALLOW-LISTS
-- Every exception to the rules, by schema-qualified name, each with its reason. Keep them short.

-- Tables without row-level security. Nothing in them may be market-private, and the app roles may
-- at most read them (check reference_table_writable).
tables_without_rls (table_name, reason) as (values
    ('public.markets',
     'reference data: one row per market (name, currency, time zone, providers); nothing market-private'),
    ('public.flyway_schema_history',
     'Flyway''s own bookkeeping; owned by market_owner and granted to no app role'),
    ('app.context_keys',
     'the keys that verify request contexts; only the owner''s verifier reads them (check secret_table_readable)'),
    ('app.schema_state',
     'the fingerprint of the build that last migrated; read only through app.schema_fingerprint()')),

-- Tables no app role may read or write at all (only owner-rights functions touch them); with RLS
-- on, they need no policy and no market filter.
secret_tables (table_name, reason) as (values
    ('app.context_keys', 'whoever reads a key can sign any request context'),
    ('public.verification_codes',
     'login codes: whoever writes them lifts the try limit; only app.issue_login_code() and app.redeem_login_code() touch them')),

-- Tables with a market column whose policies deliberately do not filter by the current market.
-- None today; to add one, replace the select with
--   values ('public.some_table', 'why its policies need not read the current market')
tables_without_market_filter (table_name, reason) as (
    select null::text, null::text where false),

-- Tables without a primary key. None today; to add one, replace the select with
--   values ('public.some_table', 'why it needs no primary key')
tables_without_primary_key (table_name, reason) as (
    select null::text, null::text where false),

-- Append-only tables: no app role may UPDATE or DELETE their rows (TRUNCATE: nowhere, dangerous_privilege).
append_only_tables (table_name, reason) as (values
    ('public.audit_log', 'the record of manager actions must not be rewritten by the people it records')),

-- SECURITY DEFINER functions the app roles may execute, as 'schema.name(argument types)'.
-- Every other helper runs with the caller's rights, so the policies keep applying.
security_definer_allowed (function_name, reason) as (values
    ('app.my_markets()',
     'returns only the calling manager''s own managed markets (app.current_user_id()); needed across markets'),
    ('app.manager_access()',
     'returns only the calling manager''s own record; read before the request''s market is decided'),
    ('app.verify_context(context text)',
     'checks a request context''s signature with the keys and records it; returns only true or false'),
    ('app.schema_fingerprint()',
     'the fingerprint of the build that last migrated (no market data), for a server without owner rights'),
    ('app.refresh_token_session(hash text)',
     'returns only the session of the refresh token whose hash it is given; the caller is a guest until then'),
    ('app.issue_login_code(code_hash text, client_ip text, valid_seconds integer, resend_seconds integer, codes_per_hour integer)',
     'issues a code for the login context''s own phone, within the per-phone limits; answers only a wait and a market'),
    ('app.redeem_login_code(code_hash text, max_tries integer, resend_seconds integer)',
     'counts and checks one try of the login context''s own phone''s code; answers only the outcome and, if right, that user')),

-- VOLATILE functions in the helper schema, each with the reason no policy calls it.
volatile_helpers_allowed (function_name, reason) as (values
    ('app.verify_context(context text)',
     'records the transaction''s verified context (sets a parameter); app.enter() calls it, no policy does'),
    ('app.issue_login_code(code_hash text, client_ip text, valid_seconds integer, resend_seconds integer, codes_per_hour integer)',
     'writes a login code; the login request calls it, no policy does'),
    ('app.redeem_login_code(code_hash text, max_tries integer, resend_seconds integer)',
     'counts a try and consumes a login code; the login request calls it, no policy does')),

-- ============================================================================ SETTINGS
settings as (
    select 'app'::text as helper_schema,
           -- helpers that read the current market; a market table's policies must call one
           'current_market|visible_markets|writable_markets'::text as market_helpers,
           coalesce(nullif(current_setting('audit.login_role', true), ''), 'market_app') as login_role,
           -- the DBAs' login role (roles.sql): audited like the pool's
           coalesce(nullif(current_setting('audit.dba_role', true), ''), 'market_dba') as dba_role,
           string_to_array(coalesce(nullif(current_setting('audit.request_roles', true), ''),
                                    'market_guest,market_customer,market_manager,market_reporter'), ',') as request_roles),

-- ============================================================================ WHAT IS AUDITED
configured_roles as (
    select s.login_role as rolname, true as is_login_role from settings s
    union
    select s.dba_role, true from settings s
    union
    select unnest(s.request_roles), false from settings s),

app_roles as (
    select r.oid, r.rolname, c.is_login_role, r.rolsuper, r.rolbypassrls, r.rolinherit, r.rolcanlogin,
           r.rolcreaterole, r.rolreplication
    from configured_roles c
    join pg_roles r on r.rolname = c.rolname),

-- the app roles whose privileges are checked: a superuser passes every privilege test, so it is
-- reported once (role_superuser) rather than once per object
grantees as (
    select * from app_roles where not rolsuper),

-- every relation in the user's schemas (not pg_*, not information_schema, not an extension's)
rels as (
    select c.oid, c.relname, c.relkind, c.relrowsecurity, c.relforcerowsecurity, c.reloptions, c.relowner,
           c.relacl, n.nspname,
           format('%I.%I', n.nspname, c.relname) as qname,
           case c.relkind when 'r' then 'table' when 'p' then 'table' when 'v' then 'view'
                          when 'm' then 'materialized view' when 'S' then 'sequence'
                          when 'f' then 'foreign table' when 'c' then 'type'
                          else 'relation' end as kind,
           (select a.attnum from pg_attribute a
            where a.attrelid = c.oid and a.attname = 'market' and a.attnum > 0 and not a.attisdropped) as market_attnum
    from pg_class c
    join pg_namespace n on n.oid = c.relnamespace
    where n.nspname !~ '^pg_' and n.nspname <> 'information_schema'
      and c.relkind in ('r', 'p', 'v', 'm', 'S', 'f', 'c')
      and not exists (select 1 from pg_depend d
                      where d.classid = 'pg_class'::regclass and d.objid = c.oid and d.deptype = 'e')),

tables as (
    select t.*, 'table ' || t.qname as object, t.market_attnum is not null as has_market
    from rels t
    where t.relkind in ('r', 'p')),

funcs as (
    select p.oid, p.proname, p.prokind, p.prosecdef, p.proconfig, p.provolatile, p.prorettype, p.proowner, p.proacl,
           n.nspname,
           format('%I.%I(%s)', n.nspname, p.proname, pg_get_function_identity_arguments(p.oid)) as qname
    from pg_proc p
    join pg_namespace n on n.oid = p.pronamespace
    where n.nspname !~ '^pg_' and n.nspname <> 'information_schema'
      and not exists (select 1 from pg_depend d
                      where d.classid = 'pg_proc'::regclass and d.objid = p.oid and d.deptype = 'e')),

-- regular expressions over deparsed policy expressions (pg_get_expr); the schema prefix is optional
-- because pg_get_expr leaves it out when the helper schema is on the search_path
patterns as (
    select '(^|[^a-zA-Z0-9_."])(' || s.helper_schema || '\.){0,1}(' || s.market_helpers || ')\(' as reads_market,
           '(^|[^a-zA-Z0-9_."])(' || s.helper_schema || '\.){0,1}(' || h.names || ')\(' as calls_helper,
           -- a helper call wrapped as ( SELECT app.x() AS x ), which PostgreSQL evaluates once per query
           '\(\s*SELECT\s+(' || s.helper_schema || '\.){0,1}(' || h.names || ')\([^()]*\)(\s+AS\s+[a-zA-Z0-9_"]+){0,1}\s*\)'
               as wrapped_helper
    from settings s
    cross join (select coalesce(string_agg(f.proname, '|'), 'no_helper_functions_here') as names
                from funcs f, settings s
                where f.nspname = s.helper_schema and f.prorettype <> 'trigger'::regtype) h),

pols as (
    select p.oid, p.polname, p.polrelid, p.polcmd, p.polpermissive, p.polroles,
           t.qname as table_qname, t.has_market,
           format('policy %I on %s', p.polname, t.qname) as object,
           pg_get_expr(p.polqual, p.polrelid) as using_expr,
           pg_get_expr(p.polwithcheck, p.polrelid) as check_expr,
           case p.polcmd when 'r' then array['SELECT'] when 'a' then array['INSERT']
                         when 'w' then array['UPDATE'] when 'd' then array['DELETE']
                         else array['SELECT', 'INSERT', 'UPDATE', 'DELETE'] end as commands
    from pg_policy p
    join tables t on t.oid = p.polrelid),

pol_exprs as (
    select p.*, e.expr,
           coalesce(e.expr ~ pt.reads_market, false) as reads_market,
           coalesce(e.expr ~ pt.calls_helper, false) as calls_helper,
           coalesce(regexp_replace(e.expr, pt.wrapped_helper, '', 'gi') ~* pt.calls_helper, false) as unwrapped_helper
    from pols p
    cross join patterns pt
    cross join lateral (values (p.using_expr), (p.check_expr)) e(expr)
    where e.expr is not null),

-- (policy, app role, command) for every command a policy covers; PUBLIC (oid 0) covers every app role
pol_role_cmd as (
    select p.*, r.rolname, cmd
    from pols p
    cross join lateral unnest(p.commands) cmd
    join app_roles r on r.oid = any (p.polroles) or 0 = any (p.polroles)),

-- (index, its key columns) for valid, non-partial indexes
idx as (
    select i.indrelid, (string_to_array(i.indkey::text, ' ')::int2[])[1:i.indnkeyatts] as keys
    from pg_index i
    where i.indisvalid and i.indpred is null),

-- roles an app role must never be able to become: superusers, BYPASSRLS roles, predefined pg_* roles,
-- and owners of this database's tables (the owner bypasses RLS unless it is FORCEd)
privileged_roles as (
    select r.oid, r.rolname,
           concat_ws(', ', case when r.rolsuper then 'SUPERUSER' end, case when r.rolbypassrls then 'BYPASSRLS' end,
                     case when r.rolname ~ '^pg_' then 'predefined role' end,
                     case when exists (select 1 from tables t where t.relowner = r.oid) then 'owns tables' end) as why
    from pg_roles r
    where r.rolsuper or r.rolbypassrls or r.rolname ~ '^pg_'
       or exists (select 1 from tables t where t.relowner = r.oid)),

-- ============================================================================ FINDINGS
findings ("check", object, detail, severity) as (

-- ---------------------------------------------------------------- RLS on every table
    select 'rls_not_enabled', t.object,
           case when t.has_market then 'holds a market column but ROW LEVEL SECURITY is not enabled: every granted role sees every market'
                else 'ROW LEVEL SECURITY is not enabled and the table is not in the tables_without_rls allow-list' end,
           'error'
    from tables t
    where not t.relrowsecurity
      and t.qname not in (select table_name from tables_without_rls)

    union all
    select 'rls_not_forced', t.object,
           'FORCE ROW LEVEL SECURITY is off: the table owner (and anything running as it) skips the policies',
           'error'
    from tables t
    where not t.relforcerowsecurity
      and t.qname not in (select table_name from tables_without_rls)

    union all
    select 'rls_enabled_without_policy', t.object,
           'row level security is enabled but there is no policy: every row is denied to every app role',
           'warning'
    from tables t
    where t.relrowsecurity
      and not exists (select 1 from pg_policy p where p.polrelid = t.oid)
      and t.qname not in (select table_name from secret_tables)

    union all
    select 'policy_on_table_without_rls', t.object,
           format('%s polic%s (%s) but row level security is disabled, so none of them applies',
                  count(*), case when count(*) = 1 then 'y' else 'ies' end, string_agg(quote_ident(p.polname), ', ' order by p.polname)),
           'error'
    from tables t
    join pg_policy p on p.polrelid = t.oid
    where not t.relrowsecurity
    group by t.object

    union all
    select 'market_not_filtered', t.object,
           'holds a market column but no policy reads the current market (app.current_market() or app.visible_markets())',
           'error'
    from tables t
    where t.has_market
      and t.qname not in (select table_name from tables_without_rls)
      and t.qname not in (select table_name from tables_without_market_filter)
      and t.qname not in (select table_name from secret_tables)
      and not exists (select 1 from pol_exprs e where e.polrelid = t.oid and e.reads_market)

    union all
    select distinct 'policy_ignores_market', e.object,
           'a permissive policy on a table with a market column whose '
               || case when e.expr is not distinct from e.using_expr then 'USING' else 'WITH CHECK' end
               || ' expression does not read the current market: it can reach other markets'' rows',
           'error'
    from pol_exprs e
    where e.has_market and e.polpermissive and not e.reads_market
      and e.table_qname not in (select table_name from tables_without_market_filter)
      and e.table_qname not in (select table_name from tables_without_rls)

    union all
    select 'policy_reads_no_context', p.object,
           'a permissive policy that calls no app helper at all: its rows do not depend on the request''s market or user',
           'error'
    from pols p
    where p.polpermissive
      and not exists (select 1 from pol_exprs e where e.oid = p.oid and e.calls_helper)

-- ---------------------------------------------------------------- how policies are written
    union all
    select distinct 'policy_reads_setting_directly', e.object,
           'calls current_setting() itself; read the request context only through the app helpers (they fail closed on unset or empty values)',
           'error'
    from pol_exprs e
    where e.expr ~* '(^|[^a-zA-Z0-9_])current_setting\s*\('

    union all
    select distinct 'helper_not_wrapped', e.object,
           'calls an app helper without the (select app.x()) wrap: it is evaluated once per row instead of once per query and the market index cannot be used',
           'warning'
    from pol_exprs e
    where e.unwrapped_helper

    union all
    select 'permissive_write_always_true', p.object,
           format('a permissive %s policy whose %s is always true: it allows writing any row of any market',
                  array_to_string(p.commands, '/'),
                  case when p.check_expr ~ '^\s*\(*\s*true\s*\)*\s*$' then 'WITH CHECK' else 'USING' end),
           'error'
    from pols p
    where p.polpermissive and p.polcmd <> 'r'
      and (p.check_expr ~ '^\s*\(*\s*true\s*\)*\s*$'        -- INSERT, UPDATE, ALL: may write any row
           or p.using_expr ~ '^\s*\(*\s*true\s*\)*\s*$')     -- UPDATE, DELETE, ALL: may change any row

    union all
    select 'write_policy_without_check', p.object,
           'an UPDATE/ALL policy without WITH CHECK: state explicitly which rows a write may produce',
           'warning'
    from pols p
    where p.polcmd in ('w', '*') and p.check_expr is null

    union all
    select 'overlapping_permissive_policies', 'table ' || o.table_qname,
           format('%s has %s permissive %s policies, OR-ed together: %s', o.rolname, o.n, o.cmd, o.names),
           'warning'
    from (select c.table_qname, c.rolname, c.cmd, count(*) as n,
                 string_agg(quote_ident(c.polname), ', ' order by c.polname) as names
          from pol_role_cmd c
          where c.polpermissive
          group by c.table_qname, c.rolname, c.cmd
          having count(*) > 1) o

    union all
    select 'policy_for_public', p.object,
           'applies TO PUBLIC, i.e. to every role: name the role it is for',
           'warning'
    from pols p
    where 0 = any (p.polroles)

    union all
    select 'policy_for_all_commands', p.object,
           'FOR ALL: write one named policy per command, so each says what it allows',
           'warning'
    from pols p
    where p.polcmd = '*'

-- ---------------------------------------------------------------- ways around the policies
    union all
    select 'view_bypasses_rls', v.kind || ' ' || v.qname,
           case v.relkind
               when 'm' then format('readable by %s; a materialized view holds its rows without any policy', string_agg(r.rolname, ', ' order by r.rolname))
               else format('readable by %s without security_invoker: it reads the tables with its owner''s rights', string_agg(r.rolname, ', ' order by r.rolname))
           end,
           'error'
    from rels v
    join grantees r on has_table_privilege(r.oid, v.oid, 'SELECT')
    where v.relkind = 'm'
       or (v.relkind = 'v'
           and not exists (select 1 from unnest(v.reloptions) o
                           where lower(o) ~ '^security_invoker=(true|on|yes|1|t|y)$'))
    group by v.kind, v.qname, v.relkind

    union all
    select 'security_definer_without_search_path', 'function ' || f.qname,
           'SECURITY DEFINER without a pinned search_path (ALTER FUNCTION ... SET search_path = ...): a caller can redirect the names it uses',
           'error'
    from funcs f
    where f.prosecdef
      and not exists (select 1 from unnest(f.proconfig) c where c like 'search_path=%')

    union all
    select 'security_definer_executable', 'function ' || f.qname,
           format('SECURITY DEFINER, executable by %s: it runs with the rights of %s; allow-list it with a reason or revoke EXECUTE',
                  string_agg(r.rolname, ', ' order by r.rolname), pg_get_userbyid(f.proowner)),
           'error'
    from funcs f
    join grantees r on has_function_privilege(r.oid, f.oid, 'EXECUTE')
    where f.prosecdef
      and f.qname not in (select function_name from security_definer_allowed)
    group by f.qname, f.proowner

    union all
    select 'helper_volatile', 'function ' || f.qname,
           'a helper in the helper schema is VOLATILE: policies may evaluate it per row; declare it STABLE',
           'warning'
    from funcs f, settings s
    where f.nspname = s.helper_schema and f.provolatile = 'v' and f.prorettype <> 'trigger'::regtype
      and f.prokind = 'f'   -- a procedure cannot be called from a policy
      and f.qname not in (select function_name from volatile_helpers_allowed)

    union all
    select 'secret_table_readable', t.object,
           r.rolname || ' can read it or write it: ' || a.reason,
           'error'
    from tables t
    join secret_tables a on a.table_name = t.qname
    cross join grantees r
    where has_any_column_privilege(r.oid, t.oid, 'SELECT, INSERT, UPDATE, REFERENCES')
       or has_table_privilege(r.oid, t.oid, 'DELETE, TRUNCATE, TRIGGER')

    union all
    select 'context_parameter_settable', 'parameter backtrace_functions',
           string_agg(r.rolname, ', ' order by r.rolname)
               || ' may set it: a verified request context lives there, only app.verify_context() may write it',
           'error'
    from grantees r
    where has_parameter_privilege(r.oid, 'backtrace_functions', 'SET')
    having count(*) > 0

    union all
    select 'builtin_door_open', 'function ' || p.oid::regprocedure::text,
           string_agg(r.rolname, ', ' order by r.rolname)
               || ' may execute it: large objects, session-level advisory locks, signals to other sessions,'
               || ' their SQL text and the session''s random seed are outside every policy'
               || ' (bootstrap revokes them, db-policies/database.sql)',
           'error'
    from pg_proc p
    cross join grantees r
    where p.pronamespace = 'pg_catalog'::regnamespace
      and (p.proname ~ '^lo_' or p.proname in ('loread', 'lowrite') or p.proname ~ '^pg_(try_)?advisory_(lock|unlock)'
           or p.proname in ('pg_cancel_backend', 'pg_terminate_backend', 'pg_stat_get_activity',
                            'pg_stat_get_backend_activity', 'setseed'))
      and has_function_privilege(r.oid, p.oid, 'EXECUTE')
    group by p.oid

    union all
    select 'large_object_owned_by_app_role', 'large object ' || l.oid,
           'owned by ' || r.rolname || ': storage that no policy covers',
           'error'
    from pg_largeobject_metadata l
    join grantees r on r.oid = l.lomowner

-- ---------------------------------------------------------------- the app roles
    union all
    select 'role_missing', 'role ' || c.rolname,
           'configured as an app role but does not exist: its privileges were not audited',
           'error'
    from configured_roles c
    where not exists (select 1 from pg_roles r where r.rolname = c.rolname)

    union all
    select 'role_superuser', 'role ' || r.rolname, 'SUPERUSER: no policy applies to it', 'error'
    from app_roles r where r.rolsuper

    union all
    select 'role_bypassrls', 'role ' || r.rolname, 'BYPASSRLS: no policy applies to it', 'error'
    from app_roles r where r.rolbypassrls

    union all
    select 'role_admin_attribute', 'role ' || r.rolname,
           'has ' || concat_ws(' and ', case when r.rolcreaterole then 'CREATEROLE' end, case when r.rolreplication then 'REPLICATION' end)
               || ': it could grant itself other roles or read every row through replication',
           'error'
    from app_roles r where r.rolcreaterole or r.rolreplication

    union all
    select 'login_role_inherits', 'role ' || r.rolname,
           'the pool''s login role has INHERIT: it holds the request roles'' privileges before any set_config(''role'', ...); make it NOINHERIT',
           'error'
    from app_roles r where r.is_login_role and r.rolinherit

    union all
    select 'request_role_can_login', 'role ' || r.rolname,
           'a request role with LOGIN: it should be NOLOGIN and reached only through the pool''s login role',
           'warning'
    from app_roles r where not r.is_login_role and r.rolcanlogin

    union all
    select 'role_can_become_privileged', 'role ' || r.rolname,
           format('is a member of %s (%s): set_config(''role'', ...) would escape the policies', p.rolname, p.why),
           'error'
    from grantees r
    join privileged_roles p on p.oid <> r.oid and pg_has_role(r.oid, p.oid, 'MEMBER')

    union all
    select 'role_owns_objects', o.object, 'owned by ' || r.rolname || ': an owner can alter or drop the object and its policies', 'error'
    from app_roles r
    join (select relowner as owner, kind || ' ' || qname as object from rels
          union all select proowner, 'function ' || qname from funcs
          union all select nspowner, 'schema ' || quote_ident(nspname) from pg_namespace
                    where nspname !~ '^pg_' and nspname <> 'information_schema'
          union all select datdba, 'database ' || quote_ident(datname) from pg_database where datname = current_database()
         ) o on o.owner = r.oid

-- ---------------------------------------------------------------- privileges
    union all
    select 'dangerous_privilege', t.kind || ' ' || t.qname,
           r.rolname || ' has ' || priv || ' (only the owner may)',
           'error'
    from rels t
    cross join grantees r
    cross join unnest(array['TRUNCATE', 'REFERENCES', 'TRIGGER']) priv
    where t.relkind in ('r', 'p', 'v', 'm', 'f')
      and (has_table_privilege(r.oid, t.oid, priv)
           or case when priv = 'REFERENCES' then has_any_column_privilege(r.oid, t.oid, priv) else false end)

    union all
    select 'append_only_table_writable', t.object,
           r.rolname || ' has ' || priv || ' on an append-only table (' || a.reason || ')',
           'error'
    from tables t
    join append_only_tables a on a.table_name = t.qname
    cross join grantees r
    cross join unnest(array['UPDATE', 'DELETE']) priv
    where has_table_privilege(r.oid, t.oid, priv)
       or case when priv = 'DELETE' then false else has_any_column_privilege(r.oid, t.oid, priv) end   -- column grants

    union all
    select 'reference_table_writable', t.object,
           r.rolname || ' has ' || priv || ' on a table without RLS: a write changes it for every market',
           'error'
    from tables t
    join tables_without_rls a on a.table_name = t.qname
    cross join grantees r
    cross join unnest(array['INSERT', 'UPDATE', 'DELETE']) priv
    where has_table_privilege(r.oid, t.oid, priv)
       or case when priv = 'DELETE' then false else has_any_column_privilege(r.oid, t.oid, priv) end   -- column grants

    union all
    select 'public_privilege', o.object,
           'PUBLIC (every role) has ' || string_agg(distinct a.privilege_type, ', ') || '; grant to named roles only',
           'error'
    from (select kind || ' ' || qname as object,
                 coalesce(relacl, acldefault(case when relkind = 'S' then 's'::"char" else 'r'::"char" end, relowner)) as acl
          from rels where relkind <> 'c'
          union all
          select 'function ' || qname, coalesce(proacl, acldefault('f', proowner)) from funcs
          union all
          select 'schema ' || quote_ident(nspname), coalesce(nspacl, acldefault('n', nspowner)) from pg_namespace
          where nspname !~ '^pg_' and nspname <> 'information_schema'
         ) o
    cross join lateral aclexplode(o.acl) a
    where a.grantee = 0
    group by o.object

-- ---------------------------------------------------------------- indexes, keys, triggers
    union all
    select 'market_not_indexed', t.object,
           'has a market column but no index leads with it: the policy predicate scans the whole table',
           'warning'
    from tables t
    where t.has_market
      and not exists (select 1 from idx i where i.indrelid = t.oid and i.keys[1] = t.market_attnum)

    union all
    select 'foreign_key_not_indexed', format('constraint %I on %s', k.conname, t.qname),
           format('foreign key (%s) -> %s has no index whose leading columns are these columns',
                  (select string_agg(quote_ident(a.attname), ', ' order by x.ord)
                   from unnest(k.conkey) with ordinality x(attnum, ord)
                   join pg_attribute a on a.attrelid = k.conrelid and a.attnum = x.attnum),
                  (select r.qname from rels r where r.oid = k.confrelid)),
           'warning'
    from tables t
    join pg_constraint k on k.conrelid = t.oid and k.contype = 'f'
    where not exists (
        select 1 from idx i
        where i.indrelid = t.oid
          and cardinality(i.keys) >= cardinality(k.conkey)
          and (select array_agg(x order by x) from unnest(i.keys[1:cardinality(k.conkey)]) x)
            = (select array_agg(x order by x) from unnest(k.conkey) x))

    union all
    select 'no_primary_key', t.object, 'has no primary key', 'warning'
    from tables t
    where not exists (select 1 from pg_constraint k where k.conrelid = t.oid and k.contype = 'p')
      and t.qname not in (select table_name from tables_without_primary_key)

    union all
    select 'market_not_set_by_trigger', t.object,
           format('takes its market from %s (foreign key %I) but has no BEFORE INSERT row trigger to copy it from the parent',
                  parent.qname, k.conname),
           'warning'
    from tables t
    join pg_constraint k on k.conrelid = t.oid and k.contype = 'f' and t.market_attnum = any (k.conkey)
    join tables parent on parent.oid = k.confrelid and parent.has_market
    where not exists (select 1 from pg_trigger g
                      where g.tgrelid = t.oid and not g.tgisinternal and g.tgenabled <> 'D'
                        and g.tgtype & 7 = 7)   -- ROW (1) + BEFORE (2) + INSERT (4)
)
select "check", object, detail, severity
from findings
order by case severity when 'error' then 0 else 1 end, "check", object, detail;
