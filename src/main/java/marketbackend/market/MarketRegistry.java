package marketbackend.market;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import io.helidon.dbclient.DbRow;

import marketbackend.context.RequestContext;
import marketbackend.db.Db;
import marketbackend.http.MarketCodes;

/**
 * Every market, open and closed, read from the {@code markets} table and kept for at most
 * {@link #DEFAULT_TTL}: a market added, opened or closed with the {@code market} command reaches a
 * running server within that time, without a restart; a code asked for that is unknown or closed
 * reloads the list at once, at most once per {@link #MISS_RELOAD} (so unknown codes cost at most one
 * small query per second, however many arrive) (while the database is unreachable the last
 * list is kept). The database applies a closing at once: its triggers refuse sign-ups and purchases
 * in a closed market. Each instance keeps its own list (plus the replica's lag with DB_READ_URL;
 * docs/SCALING.md).
 */
public final class MarketRegistry implements MarketCodes {
    public static final Duration DEFAULT_TTL = Duration.ofSeconds(30);
    static final Duration MISS_RELOAD = Duration.ofSeconds(1);
    private static final System.Logger LOG = System.getLogger(MarketRegistry.class.getName());

    private final Db db;
    private final long ttlNanos;
    private final long missNanos;
    private volatile Map<String, Market> markets = Map.of();
    private volatile long loadedAt;
    private final java.util.concurrent.locks.ReentrantLock reload = new java.util.concurrent.locks.ReentrantLock();

    public MarketRegistry(Db db) {
        this(db, DEFAULT_TTL);
    }

    /** @param ttl how long a read of the table is reused ({@code ZERO}: read on every call) */
    public MarketRegistry(Db db, Duration ttl) {
        this.db = db;
        this.ttlNanos = ttl.toNanos();
        this.missNanos = Math.min(ttlNanos, MISS_RELOAD.toNanos());
    }

    /** The OPEN market with exactly this code ("KG", not "kg"). */
    public Optional<Market> find(String code) {
        Optional<Market> market = known(code).filter(Market::open);
        // just opened: see it now rather than within the TTL
        return market.isPresent() || code == null ? market : Optional.ofNullable(markets(missNanos).get(code)).filter(Market::open);
    }

    /** The market (open or closed) whose phone region is the number's; a miss reloads like an unknown code. */
    public Optional<Market> forPhone(com.google.i18n.phonenumbers.Phonenumber.PhoneNumber number) {
        Optional<Market> market = PhoneMarkets.of(number, withClosed());
        return market.isPresent() || PhoneMarkets.region(number) == null ? market
                : PhoneMarkets.of(number, markets(missNanos).values());
    }

    /** The market with exactly this code, open or closed. */
    public Optional<Market> known(String code) {
        if (code == null) {
            return Optional.empty();
        }
        Market market = markets().get(code);
        // just added: see it now rather than within the TTL
        return Optional.ofNullable(market != null ? market : markets(missNanos).get(code));
    }

    /** The open markets, in display order. */
    public List<Market> all() {
        return markets().values().stream().filter(Market::open).toList();
    }

    /** Every market, open and closed, in display order. */
    public List<Market> withClosed() {
        return List.copyOf(markets().values());
    }

    @Override
    public boolean isOpen(String code) {
        return find(code).isPresent();
    }

    @Override
    public boolean isKnown(String code) {
        return known(code).isPresent();
    }

    @Override
    public List<String> openCodes() {
        return all().stream().map(Market::code).toList();
    }

    /** A market a row or a context names (open or closed); it exists, the foreign keys say so. */
    public Market require(String code) {
        return known(code).orElseThrow(() -> new IllegalStateException("Unknown market " + code));
    }

    private Map<String, Market> markets() {
        return markets(ttlNanos);
    }

    /**
     * The list, read again if it is older than {@code maxAgeNanos}. A reload for a missing code never waits
     * for another one (it keeps the list it has), so unknown codes cannot queue requests behind the database.
     */
    private Map<String, Market> markets(long maxAgeNanos) {
        if (!markets.isEmpty() && System.nanoTime() - loadedAt < maxAgeNanos) {
            return markets;
        }
        boolean miss = maxAgeNanos < ttlNanos && !markets.isEmpty();
        if (miss) {
            if (!reload.tryLock()) {
                return markets;
            }
        } else {
            reload.lock();
        }
        try {
            // the age is taken again under the lock: callers that waited for a reload use it
            if (markets.isEmpty() || System.nanoTime() - loadedAt >= maxAgeNanos) {
                try {
                    markets = load();
                } catch (RuntimeException e) {
                    if (markets.isEmpty()) {
                        throw e;
                    }
                    // the database is unreachable: keep the last list for another TTL, so a request that
                    // needs no database still gets its answer, and only one request per TTL waits here
                    LOG.log(System.Logger.Level.WARNING, "Markets not reloaded, keeping the last list: " + e);
                }
                loadedAt = System.nanoTime();
            }
        } finally {
            reload.unlock();
        }
        return markets;
    }

    private Map<String, Market> load() {
        // markets is reference data without RLS: a guest context with no market may read it
        RequestContext ctx = RequestContext.guest(null, "markets-" + UUID.randomUUID());
        List<DbRow> rows = db.read(ctx, tx -> tx.query(MarketRepository.SELECT_ALL));
        Map<String, Market> result = new LinkedHashMap<>();
        for (DbRow r : rows) {
            Market m = MarketRepository.market(r);
            result.put(m.code(), m);
        }
        return Collections.unmodifiableMap(result);
    }
}
