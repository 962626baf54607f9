-- matrix.sql: who may do what. One row per (table, app role, command) and applying policy.
--
--   psql -X -d market -f db-policies/matrix.sql
--   java -jar target/market-backend.jar audit --matrix [--json]    (the same file, from the jar)
--
-- Columns:
--   table       schema-qualified table
--   role        the app role (market_app, market_guest, market_customer, market_manager, market_reporter)
--   command     SELECT | INSERT | UPDATE | DELETE
--   grant       'table' (a table-wide privilege), 'columns (a, b)' (column privileges only), or
--               'no grant': the role lacks the privilege, so no policy matters for this command
--   policy      the policy that lets rows through (several rows when several apply, OR-ed;
--               '[restrictive]' ones are AND-ed), or '(no policy: no row)' / '(no RLS: every row)'
--   using       which existing rows the command sees (pg_policies.qual)
--   with_check  which rows the command may write (pg_policies.with_check)
-- Only (table, role) pairs where the role holds some privilege or is named by some policy appear.
-- Not a Flyway migration (its name matches neither V__ nor R__). Roles: see audit.sql's header.

with
settings as (
    select coalesce(nullif(current_setting('audit.login_role', true), ''), 'market_app') as login_role,
           string_to_array(coalesce(nullif(current_setting('audit.request_roles', true), ''),
                                    'market_guest,market_customer,market_manager,market_reporter'), ',') as request_roles),

app_roles as (
    select r.oid, r.rolname, c.ord
    from settings s
    cross join lateral unnest(array[s.login_role] || s.request_roles) with ordinality c(rolname, ord)
    join pg_roles r on r.rolname = c.rolname),

tables as (
    select c.oid, n.nspname, c.relname, c.relrowsecurity, format('%I.%I', n.nspname, c.relname) as qname
    from pg_class c
    join pg_namespace n on n.oid = c.relnamespace
    where c.relkind in ('r', 'p')
      and n.nspname !~ '^pg_' and n.nspname <> 'information_schema'),

commands (cmd, ord) as (values ('SELECT', 1), ('INSERT', 2), ('UPDATE', 3), ('DELETE', 4)),

cells as (
    select t.oid, t.nspname, t.relname, t.qname, t.relrowsecurity, r.rolname, r.ord as role_ord, c.cmd, c.ord as cmd_ord,
           case when has_table_privilege(r.oid, t.oid, c.cmd) then 'table'
                when c.cmd <> 'DELETE' and has_any_column_privilege(r.oid, t.oid, c.cmd) then
                    'columns (' || (select string_agg(quote_ident(a.attname), ', ' order by a.attnum)
                                    from pg_attribute a
                                    where a.attrelid = t.oid and a.attnum > 0 and not a.attisdropped
                                      and has_column_privilege(r.oid, t.oid, a.attnum, c.cmd)) || ')'
           end as grant_kind
    from tables t
    cross join app_roles r
    cross join commands c),

policies as (
    select p.schemaname, p.tablename, p.policyname, p.permissive, p.roles, p.cmd, p.qual, p.with_check
    from pg_policies p),

-- (table, role) pairs worth showing: the role holds a privilege there or a policy names it
relevant as (
    select distinct c.oid, c.rolname
    from cells c
    where c.grant_kind is not null
       or exists (select 1 from policies p
                  where p.schemaname = c.nspname and p.tablename = c.relname
                    and (c.rolname = any (p.roles) or 'public' = any (p.roles))))

select c.qname as "table", c.rolname as role, c.cmd as command,
       coalesce(c.grant_kind, 'no grant') as "grant",
       case when p.policyname is not null
                then case when p.permissive = 'RESTRICTIVE' then '[restrictive] ' else '' end || p.policyname
            when c.grant_kind is null then null
            when not c.relrowsecurity then '(no RLS: every row)'
            else '(no policy: no row)'
       end as policy,
       p.qual as using,
       p.with_check
from cells c
join relevant v on v.oid = c.oid and v.rolname = c.rolname
left join policies p
       on p.schemaname = c.nspname and p.tablename = c.relname
      and (p.cmd = c.cmd or p.cmd = 'ALL')
      and (c.rolname = any (p.roles) or 'public' = any (p.roles))
order by c.qname, c.role_ord, c.cmd_ord, p.permissive desc, p.policyname;
