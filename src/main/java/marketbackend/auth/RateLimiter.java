package marketbackend.auth;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * A sliding-window limit per key (here: per client address), kept in this process's memory.
 * With several server instances each counts on its own; the per-phone limits, which matter
 * most, are counted in the database instead.
 */
final class RateLimiter {
    /** Beyond this many keys, keys without recent hits are dropped (bounds memory under a flood of addresses). */
    private static final int MAX_KEYS = 100_000;

    private final int limit;
    private final long windowNanos;
    private final LongSupplier nanoTime;
    private final Map<String, Deque<Long>> hits = new ConcurrentHashMap<>();

    /** @param limit hits allowed per window; 0 = no limit */
    RateLimiter(int limit, Duration window, LongSupplier nanoTime) {
        this.limit = limit;
        this.windowNanos = window.toNanos();
        this.nanoTime = nanoTime;
    }

    RateLimiter(int limit, Duration window) {
        this(limit, window, System::nanoTime);
    }

    /** Counts a hit for {@code key}: 0 if it is allowed, else the seconds until the next one would be. */
    long acquire(String key) {
        if (limit <= 0) {
            return 0;
        }
        long now = nanoTime.getAsLong();
        if (hits.size() > MAX_KEYS) {
            hits.values().removeIf(d -> {
                synchronized (d) {
                    return d.isEmpty() || now - d.peekLast() >= windowNanos;
                }
            });
        }
        Deque<Long> window = hits.computeIfAbsent(key, k -> new ArrayDeque<>());
        synchronized (window) {
            while (!window.isEmpty() && now - window.peekFirst() >= windowNanos) {
                window.pollFirst();
            }
            if (window.size() >= limit) {
                long waitNanos = window.peekFirst() + windowNanos - now;
                return Math.max(1, (waitNanos + 999_999_999L) / 1_000_000_000L);
            }
            window.addLast(now);
            return 0;
        }
    }
}
