package marketbackend.db;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.helidon.dbclient.DbClientException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import marketbackend.context.RequestContext;
import marketbackend.support.TestDatabase;

import static marketbackend.db.Rls.other;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.instanceOf;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Requests take the pool's connections in the order they asked ({@link Turns}). On a pool of one
 * connection: a request that was already waiting gets the connection before a newcomer asking just
 * as it comes back (HikariCP alone hands it to the newcomer, the thread that returned it), each
 * reading its own market; one that waits past the pool timeout fails as the pool does.
 */
class TurnsTest {
    private static Db pool(String timeoutMillis) {
        return Databases.requestPool(TestDatabase.get().config(Map.of("DB_POOL_SIZE", "1",
                "DB_POOL_TIMEOUT_MS", timeoutMillis)));
    }

    private static String read(Db db, String market, String who) {
        return db.read(RequestContext.guest(market, "turns-" + who),
                tx -> who + " in " + Rows.text(tx.get("SELECT app.current_market() AS m").orElseThrow(), "m"));
    }

    @ParameterizedTest(name = "waiting in {0}")
    @ValueSource(strings = {"KG", "US"})
    void aWaitingRequestGoesBeforeANewcomer(String market) throws Exception {
        try (Db db = pool("20000")) {
            List<String> served = Collections.synchronizedList(new ArrayList<>());
            Db.Held held = db.hold(RequestContext.guest(market, "turns-holder"), true);
            CompletableFuture<Void> waiting = CompletableFuture.runAsync(() -> served.add(read(db, market, "waiting")));
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (db.waiting() < 1 && System.nanoTime() < until) {
                Thread.sleep(1);
            }
            assertThat("the first request waits for the held connection", db.waiting(), is(1));

            held.close();
            // this thread returned the connection and asks again at once: it must queue behind the waiting one
            served.add(read(db, other(market), "newcomer"));
            waiting.get(20, TimeUnit.SECONDS);

            assertThat(served, contains("waiting in " + market, "newcomer in " + other(market)));
            assertThat("nobody waits once both are served", db.waiting(), is(0));
        }
    }

    @Test
    void aTurnThatNeverComesFailsAsThePoolTimeout() throws Exception {
        try (Db db = pool("300")) {
            for (String market : List.of("KG", "US")) {
                try (Db.Held held = db.hold(RequestContext.guest(market, "turns-holder"), true)) {
                    DbClientException e = assertThrows(DbClientException.class, () -> read(db, other(market), "late"));
                    // the HTTP layer answers it 503, as a pool timeout (LimitsTest)
                    assertThat(e.getCause(), instanceOf(java.sql.SQLTransientConnectionException.class));
                    assertThat(e.getCause().getMessage(), containsString("300 ms"));
                }
                assertThat("the timed-out request holds no turn: " + market, read(db, market, "next"), is("next in " + market));
            }
        }
    }
}
