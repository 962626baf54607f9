-- bench/peer-policies.sql: PostGraphile's usual row-level security for the peer, on its copy of the catalog.
-- The market comes from a setting PostGraphile sets per request (pgSettings), read straight in each policy.
-- Idempotent; the role is cluster-wide, the grants and policies are this database's.
SET client_min_messages = warning;
DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'peer_user') THEN
        CREATE ROLE peer_user LOGIN;
    END IF;
END $$;
-- the peer's role must be subject to the policies
ALTER ROLE peer_user NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE;
GRANT USAGE ON SCHEMA public TO peer_user;
GRANT SELECT ON products, product_prices TO peer_user;
ALTER TABLE products ENABLE ROW LEVEL SECURITY;
ALTER TABLE product_prices ENABLE ROW LEVEL SECURITY;

DROP POLICY IF EXISTS "Peer sees active products of its market and of ALL" ON products;
CREATE POLICY "Peer sees active products of its market and of ALL" ON products FOR SELECT TO peer_user
    USING (market IN (current_setting('jwt.claims.market', true), 'ALL') AND is_active);
DROP POLICY IF EXISTS "Peer sees prices of its market" ON product_prices;
CREATE POLICY "Peer sees prices of its market" ON product_prices FOR SELECT TO peer_user
    USING (market = current_setting('jwt.claims.market', true));
