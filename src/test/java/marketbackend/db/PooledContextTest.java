package marketbackend.db;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import io.helidon.dbclient.DbRow;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import marketbackend.context.RequestContext;
import marketbackend.support.Fixtures;
import marketbackend.support.Sql;
import marketbackend.support.TestDatabase;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.is;

/**
 * The pool never carries a market from one request to the next: two pooled connections serve
 * hundreds of interleaved KG and US transactions, some of which fail mid-way, and every
 * transaction sees exactly its own market's rows. {@link PooledContextThroughPgBouncerTest} runs the
 * same through a transaction pooler, from two server pools at once.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PooledContextTest {
    private List<Db> pools;
    private String tag;
    private long kg;
    private long us;
    private long all;

    /** The pools under test; request i uses pool i modulo their number. */
    List<Db> openPools() throws Exception {
        return List.of(Databases.requestPool(TestDatabase.get().config(Map.of("DB_POOL_SIZE", "2"))));
    }

    @BeforeAll
    void setUp() throws Exception {
        pools = openPools();
        tag = Fixtures.unique("pool");
        kg = Fixtures.product("KG", tag + " kg", null, 1, Map.of("KG", "10.00"));
        us = Fixtures.product("US", tag + " us", null, 1, Map.of("US", "1.00"));
        all = Fixtures.product("ALL", tag + " all", null, 1, Map.of("KG", "20.00", "US", "2.00"));
    }

    @AfterAll
    void tearDown() throws Exception {
        for (Db db : pools) {
            db.close();
        }
    }

    private Db db(int request) {
        return pools.get(request % pools.size());
    }

    @Test
    void interleavedMarketsWithFailuresNeverLeak() throws Exception {
        int requests = 600;
        AtomicInteger failedOnPurpose = new AtomicInteger();
        List<String> leaks = java.util.Collections.synchronizedList(new ArrayList<>());
        try (ExecutorService pool = Executors.newFixedThreadPool(16)) {
            List<Future<?>> futures = new ArrayList<>();
            for (int i = 0; i < requests; i++) {
                String market = i % 2 == 0 ? "KG" : "US";
                // 0: a statement fails mid-transaction, 1: the handler throws after a read, 2: fine,
                // 3: fine as one-round-trip reads, 4: such a read fails after a first one
                int mode = ThreadLocalRandom.current().nextInt(5);
                Db db = db(i / 2);
                futures.add(pool.submit(() -> {
                    RequestContext ctx = RequestContext.guest(market, "pool-test");
                    Function<Tx, List<Long>> work = tx -> {
                        List<Long> ids = ids(tx.query(
                                "SELECT id FROM products WHERE name LIKE ? ORDER BY id", tag + "%"));
                        if (mode == 0 || mode == 4) {
                            tx.query("SELECT 1 / 0 AS boom");
                        } else if (mode == 1) {
                            throw new IllegalStateException("handler failed mid-transaction");
                        }
                        return ids;
                    };
                    boolean fails = mode == 0 || mode == 1 || mode == 4;
                    try {
                        List<Long> seen = mode >= 3 ? db.read(ctx, work) : db.inMarket(ctx, work);
                        List<Long> expected = market.equals("KG") ? List.of(kg, all) : List.of(us, all);
                        if (!seen.equals(expected)) {
                            leaks.add(market + " saw " + seen);
                        }
                    } catch (RuntimeException e) {
                        if (!fails) {
                            leaks.add(market + " failed unexpectedly: " + e);
                        } else {
                            failedOnPurpose.incrementAndGet();
                        }
                    }
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        }
        assertThat(leaks, empty());
        assertThat(failedOnPurpose.get(), greaterThan(0));
    }

    @Test
    void settingsDoNotSurviveTheTransaction() {
        int request = 0;
        for (String market : List.of("KG", "US", "KG", "US", "KG", "US", "KG", "US")) {
            Db db = db(request++);
            String inside = db.inMarket(RequestContext.customer(market, 42L, "pool-test"), tx -> tx.get(
                    "SELECT app.current_market() AS m").orElseThrow().column("m").get(String.class));
            assertThat(inside, is(market));
            try {
                db.inMarket(RequestContext.guest(market, "pool-test"), tx -> tx.query("SELECT 1 / 0 AS boom"));
            } catch (RuntimeException expected) {
                // the failure is the point
            }
            // outside any transaction, on whichever of the two pooled connections: nothing left
            for (int i = 0; i < 4; i++) {
                try (Connection c = db.connection()) {
                    assertThat(Sql.strings(c, "SELECT current_user::text UNION ALL "
                            + "SELECT current_setting('backtrace_functions')"), contains("market_app", ""));
                } catch (SQLException e) {
                    throw new AssertionError(e);
                }
            }
        }
    }

    @Test
    void aTransactionWithoutMarketSeesNothingEvenOfAll() {
        List<Long> seen = db(0).inMarket(RequestContext.guest(null, "pool-test"),
                tx -> ids(tx.query("SELECT id FROM products WHERE name LIKE ?", tag + "%")));
        assertThat(seen, empty());
        List<Long> kgSeen = db(1).inMarket(RequestContext.guest("KG", "pool-test"),
                tx -> ids(tx.query("SELECT id FROM products WHERE name LIKE ?", tag + "%")));
        assertThat(kgSeen, containsInAnyOrder(kg, all));
    }

    private static List<Long> ids(List<DbRow> rows) {
        return rows.stream().map(r -> r.column("id").get(Long.class)).toList();
    }
}
