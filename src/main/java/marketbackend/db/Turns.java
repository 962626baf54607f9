package marketbackend.db;

import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import io.helidon.dbclient.DbClientException;
import io.helidon.metrics.api.Gauge;
import io.helidon.metrics.api.Metrics;
import io.helidon.metrics.api.Tag;

/**
 * Requests take the pool's connections in the order they asked for one. HikariCP hands a returned
 * connection to whichever thread asks next, a newcomer included, so under load some requests lost
 * their turn again and again: that was most of the p99 (docs/BENCHMARKS.md, "The tail, found"). A fair
 * semaphore with one permit per connection queues them first in, first out, and a permit holder
 * finds a connection free.
 */
final class Turns {
    private final Semaphore permits;
    private final long timeoutMillis;

    /**
     * @param connections the pool's size
     * @param timeout     the longest wait ({@code DB_POOL_TIMEOUT_MS}), answered as the pool's own timeout (503)
     * @param poolName    names the gauge of waiting requests, beside HikariCP's gauges of the same pool
     */
    Turns(int connections, Duration timeout, String poolName) {
        this.permits = new Semaphore(connections, true);
        this.timeoutMillis = timeout.toMillis();
        // the first pool of this name in the JVM owns the gauge, as with HikariCP's
        Metrics.getOrCreate(Gauge.builder("market.db.waiting", this::waiting)
                .description("Requests waiting their turn for a database connection (HikariCP's pending stays 0)")
                .tags(List.of(Tag.create("pool", poolName))));
    }

    /** Waits for this request's turn; past the timeout it fails as the pool does when no connection came. */
    void take() {
        try {
            // the timed tryAcquire honours the queue's order (the untimed one would jump it)
            if (permits.tryAcquire(timeoutMillis, TimeUnit.MILLISECONDS)) {
                return;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        throw new DbClientException("Cannot get a database connection", new SQLTransientConnectionException(
                "no database connection was free within " + timeoutMillis + " ms"));
    }

    /** Ends a turn: the connection went back to the pool (or was closed for good). */
    void end() {
        permits.release();
    }

    /** Requests waiting for a turn now. */
    int waiting() {
        return permits.getQueueLength();
    }
}
