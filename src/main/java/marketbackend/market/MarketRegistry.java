package marketbackend.market;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import io.helidon.dbclient.DbRow;

import marketbackend.db.Db;
import marketbackend.http.RequestContext;

/**
 * The active markets, read from the {@code markets} table and cached briefly, so that a market
 * added or deactivated by a DBA takes effect without a restart: within 30 s on every instance (plus
 * the replica's lag with DB_READ_URL; docs/SCALING.md).
 */
public final class MarketRegistry {
    private static final Duration TTL = Duration.ofSeconds(30);

    private final Db db;
    private volatile Map<String, Market> markets = Map.of();
    private volatile long loadedAt;

    public MarketRegistry(Db db) {
        this.db = db;
    }

    /** The active market with exactly this code ("KG", not "kg"). */
    public Optional<Market> find(String code) {
        return Optional.ofNullable(active().get(code));
    }

    public List<Market> all() {
        return List.copyOf(active().values());
    }

    public Market require(String code) {
        return find(code).orElseThrow(() -> new IllegalStateException("Unknown market " + code));
    }

    private Map<String, Market> active() {
        long now = System.nanoTime();
        if (markets.isEmpty() || now - loadedAt > TTL.toNanos()) {
            synchronized (this) {
                if (markets.isEmpty() || now - loadedAt > TTL.toNanos()) {
                    markets = load();
                    loadedAt = now;
                }
            }
        }
        return markets;
    }

    private Map<String, Market> load() {
        // markets is reference data without RLS: a guest context with no market may read it
        RequestContext ctx = RequestContext.guest(null, "markets-" + UUID.randomUUID());
        List<DbRow> rows = db.read(ctx, tx -> tx.query("""
                SELECT code, name, currency, timezone, phone_region, calling_code, locale,
                       sms_provider, payment_gateway, delivery_service
                FROM markets WHERE is_active ORDER BY position, code"""));
        Map<String, Market> result = new LinkedHashMap<>();
        for (DbRow r : rows) {
            Market m = new Market(
                    r.column("code").get(String.class),
                    r.column("name").get(String.class),
                    r.column("currency").get(String.class),
                    r.column("timezone").get(String.class),
                    r.column("phone_region").get(String.class),
                    r.column("calling_code").get(String.class),
                    r.column("locale").get(String.class),
                    r.column("sms_provider").get(String.class),
                    r.column("payment_gateway").get(String.class),
                    r.column("delivery_service").get(String.class));
            result.put(m.code(), m);
        }
        return java.util.Collections.unmodifiableMap(result);
    }
}
