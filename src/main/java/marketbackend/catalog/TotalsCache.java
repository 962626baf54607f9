package marketbackend.catalog;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Catalog list totals, kept for a few seconds per market and filter. Counting every visible
 * product costs a scan of the market's catalog (about 100 ms at 200k products), while the page
 * itself is an index scan of a fraction of a millisecond; a total a few seconds old is fine for
 * a storefront. The key always includes the market, so one market's total never answers another's.
 */
final class TotalsCache {
    private static final int MAX_ENTRIES = 10_000;

    private record Entry(long value, long expiresAt) {
    }

    private final Map<String, Entry> entries = new ConcurrentHashMap<>();
    private final long ttlNanos;

    TotalsCache(Duration ttl) {
        this.ttlNanos = ttl.toNanos();
    }

    long get(String market, String filterKey, LongSupplier count) {
        String key = market + '\u0000' + filterKey;
        long now = System.nanoTime();
        Entry e = entries.get(key);
        if (e != null && now - e.expiresAt() < 0) {
            return e.value();
        }
        long value = count.getAsLong();
        if (entries.size() >= MAX_ENTRIES) {
            entries.clear();
        }
        entries.put(key, new Entry(value, now + ttlNanos));
        return value;
    }
}
