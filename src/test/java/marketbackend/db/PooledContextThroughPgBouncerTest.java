package marketbackend.db;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import marketbackend.AppConfig;
import marketbackend.context.RequestContext;
import marketbackend.support.PgBouncer;
import marketbackend.support.TestDatabase;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.greaterThan;

/**
 * {@link PooledContextTest} through a transaction-mode PgBouncer, from two server pools at once (two
 * instances' worth) sharing two PostgreSQL connections: consecutive transactions of one pool land on
 * different backends and each backend serves both pools, so any context that outlived its transaction
 * would show up in the next one, whoever sent it.
 */
class PooledContextThroughPgBouncerTest extends PooledContextTest {
    private PgBouncer bouncer;

    @Override
    List<Db> openPools() throws Exception {
        AppConfig direct = TestDatabase.get().config();
        bouncer = PgBouncer.start(direct.db().url(), direct.db().user(), direct.db().password(), 2);
        AppConfig pooled = PgBouncer.behind(bouncer.url(), 3);
        return List.of(Databases.requestPool(pooled), Databases.requestPool(pooled));
    }

    @AfterAll
    void stopPooler() {
        bouncer.close();
    }

    /** Why the pool's URL carries prepareThreshold=0 behind a transaction pooler (docs/SCALING.md). */
    @Test
    void pgjdbcDefaultsBreakBehindTheTransactionPooler() throws Exception {
        AppConfig defaults = PgBouncer.behind(bouncer.urlWithDriverDefaults(), 3);
        AtomicInteger ok = new AtomicInteger();
        Map<String, Integer> errors = new ConcurrentHashMap<>();
        try (Db one = Databases.requestPool(defaults); Db two = Databases.requestPool(defaults);
             ExecutorService clients = Executors.newFixedThreadPool(8)) {
            for (int i = 0; i < 400; i++) {
                Db db = i % 2 == 0 ? one : two;
                String market = i % 3 == 0 ? "KG" : "US";
                clients.submit(() -> {
                    try {
                        db.inMarket(RequestContext.guest(market, "defaults"), tx -> tx.query("SELECT count(*) AS n FROM products"));
                        ok.incrementAndGet();
                    } catch (RuntimeException e) {
                        String m = String.valueOf(e.getMessage()).replaceAll("S_[0-9]+", "S_n");
                        errors.merge(m.length() > 80 ? m.substring(0, 80) : m, 1, Integer::sum);
                    }
                });
            }
        }
        System.out.printf("pgjdbc defaults through PgBouncer: %d of 400 succeeded; failures: %s%n", ok.get(), errors);
        assertThat(errors.values().stream().mapToInt(Integer::intValue).sum(), greaterThan(0));
    }
}
