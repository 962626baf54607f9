package marketbackend.db;

import java.util.function.Function;

import io.helidon.dbclient.DbClient;
import io.helidon.dbclient.DbTransaction;

import marketbackend.http.RequestContext;

/**
 * The only way request code reaches the database.
 *
 * <p>{@link #inMarket} opens a transaction whose first statement sets the role and the
 * {@code app.*} settings transaction-locally in one round trip; policies in db-policies/ read
 * them. Commit or rollback ends the transaction, and with it every setting, so a pooled
 * connection never carries a market into the next request, also after an error.
 */
public final class Db {
    /** One round trip; {@code true} = local to the transaction (never a session-level SET). */
    static final String CONTEXT_SQL = "SELECT set_config('role', ?, true), set_config('app.market', ?, true), "
            + "set_config('app.user_id', ?, true), set_config('app.request_id', ?, true), "
            + "set_config('app.phone', ?, true), set_config('statement_timeout', ?, true)";

    private final DbClient client;
    private final String statementTimeout;

    /** @param statementTimeoutMillis limit of each statement, set per transaction in the preamble */
    public Db(DbClient client, long statementTimeoutMillis) {
        this.client = client;
        this.statementTimeout = Long.toString(statementTimeoutMillis);
    }

    /** Runs {@code work} in one transaction under {@code ctx}; commits if it returns, rolls back if it throws. */
    public <T> T inMarket(RequestContext ctx, Function<Tx, T> work) {
        DbTransaction tx = client.transaction();
        boolean done = false;
        try {
            tx.get(CONTEXT_SQL,
                    ctx.actor().dbRole(),
                    nullToEmpty(ctx.market()),
                    ctx.userId() == null ? "" : ctx.userId().toString(),
                    ctx.requestId(),
                    nullToEmpty(ctx.phone()),
                    statementTimeout);
            T result = work.apply(new Tx(tx));
            done = true;
            tx.commit();
            return result;
        } catch (RuntimeException | Error e) {
            if (!done) {
                rollbackQuietly(tx, e);
            }
            throw e;
        }
    }

    /** A statement outside any request context (health checks): it sees no table, by design. */
    public boolean ping() {
        return client.execute().get("SELECT 1 AS ok").isPresent();
    }

    public DbClient client() {
        return client;
    }

    private static void rollbackQuietly(DbTransaction tx, Throwable cause) {
        try {
            tx.rollback();
        } catch (RuntimeException e) {
            cause.addSuppressed(e);
        }
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }
}
