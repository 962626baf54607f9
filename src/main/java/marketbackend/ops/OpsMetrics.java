package marketbackend.ops;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.helidon.metrics.api.Counter;
import io.helidon.metrics.api.Metrics;
import io.helidon.metrics.api.Tag;
import io.helidon.metrics.api.Timer;

/**
 * The operator's figures at {@code /observe/metrics}, beside the JVM's and the pool's
 * (HikariCP's own, see Databases): requests and their latency per market, actor and status, login codes sent
 * and orders placed per market. Tags take few values (market codes, four actors, status codes).
 */
public final class OpsMetrics {
    private static final Duration[] BUCKETS = {Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25),
            Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500),
            Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5)};
    private static final Map<String, Counter> COUNTERS = new ConcurrentHashMap<>();
    private static final Map<String, Timer> TIMERS = new ConcurrentHashMap<>();

    private OpsMetrics() {
    }

    /** One answered request. */
    public static void request(Answered a) {
        String market = a.market();
        String actor = a.actor();
        int status = a.status();
        List<Tag> tags = List.of(Tag.create("market", market), Tag.create("actor", actor),
                Tag.create("status", Integer.toString(status)));
        String key = market + '|' + actor + '|' + status;
        COUNTERS.computeIfAbsent("requests|" + key, k -> Metrics.getOrCreate(Counter.builder("market.requests")
                .description("Answered requests per market, actor and status").tags(tags))).increment();
        TIMERS.computeIfAbsent(key, k -> Metrics.getOrCreate(Timer.builder("market.request.duration")
                .description("Request latency per market, actor and status").tags(tags).buckets(BUCKETS)
                // no client-side quantiles: Helidon writes them into the histogram family, which Prometheus rejects
                .percentiles(new double[0])))
                .record(Duration.ofNanos(a.nanos()));
    }

    /** A login code handed to the market's SMS provider (or outbox). */
    public static void codeSent(String market) {
        perMarket("market.login.codes.sent", "Login codes sent per market", market);
    }

    /** A new order (not an idempotent replay). */
    public static void orderPlaced(String market) {
        perMarket("market.orders.placed", "Orders placed per market", market);
    }

    private static void perMarket(String name, String description, String market) {
        COUNTERS.computeIfAbsent(name + "|" + market, k -> Metrics.getOrCreate(Counter.builder(name)
                .description(description).tags(List.of(Tag.create("market", market))))).increment();
    }
}
