package marketbackend.db;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * List totals, kept for a few seconds per market and filter. Counting every row of a large list
 * (the catalog of a market, a market's orders) costs a scan of tens of milliseconds, while the
 * page itself is an index scan of a fraction of a millisecond; a total a few seconds old is fine
 * for paging. The key always includes the market, so one market's total never answers another's,
 * and it is only consulted after the request's own transaction was admitted by the policies.
 */
public final class TotalsCache {
    private static final int MAX_ENTRIES = 10_000;

    private record Entry(long value, long expiresAt) {
    }

    private final Map<String, Entry> entries = new ConcurrentHashMap<>();
    private final Map<String, Boolean> refreshing = new ConcurrentHashMap<>();
    private final long ttlNanos;

    /** @param ttl how long a total is reused ({@code LIST_TOTALS_TTL_MS}); zero counts every time */
    public TotalsCache(Duration ttl) {
        this.ttlNanos = ttl.toNanos();
    }

    public long get(String market, String filterKey, LongSupplier count) {
        String key = market + '\u0000' + filterKey;
        long now = System.nanoTime();
        Entry e = ttlNanos == 0 ? null : entries.get(key);
        if (e != null) {
            if (now - e.expiresAt() < 0) {
                return e.value();
            }
            // expired: one request recounts; the others keep serving the previous total meanwhile,
            // instead of all counting at once when a busy list's total expires
            if (refreshing.putIfAbsent(key, Boolean.TRUE) != null) {
                return e.value();
            }
            try {
                return store(key, count.getAsLong());
            } finally {
                refreshing.remove(key);
            }
        }
        return store(key, count.getAsLong());
    }

    private long store(String key, long value) {
        if (entries.size() >= MAX_ENTRIES) {
            entries.clear();
        }
        entries.put(key, new Entry(value, System.nanoTime() + ttlNanos));
        return value;
    }
}
