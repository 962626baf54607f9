package marketbackend.db;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.function.Function;
import java.util.function.Supplier;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;

import io.helidon.dbclient.DbClientException;

import marketbackend.context.RequestContext;
import marketbackend.context.RequestTransaction;

/**
 * The only way request code reaches the database.
 *
 * <p>Every statement runs under a context the server signed ({@link ContextKey}) and the database
 * verifies ({@code call app.enter(...)}, db-policies/R__01_helpers.sql); it rides in front of the
 * request's first statement, so it costs no round trip of its own. Commit or rollback ends the
 * transaction and every setting with it: a pooled connection never carries a market into the next
 * request, also after an error. A connection the database refuses for what an earlier transaction left
 * on it ({@link UnsafeConnection}) is closed for good, logged as a security event, and the request
 * retried once on another.
 * <ul>
 *   <li>{@link #read}: no transaction block; each statement is its own read-only transaction that
 *       carries the context: one round trip per statement;</li>
 *   <li>{@link #inMarket}: one transaction: BEGIN, the context and the first statement in one round
 *       trip, the other statements, then COMMIT.</li>
 * </ul>
 * An HTTP request runs at most one transaction: its context carries it ({@link RequestContext#transaction}),
 * and a second {@code read} or {@code inMarket} with it is refused. The manager API's gate
 * {@link #hold holds} it ahead for the manager's lookup; the handler's {@code read} or {@code inMarket}
 * runs in it and commits it, and the gate closes it at the end. Requests take connections in the
 * order they asked ({@link Turns}).
 */
public final class Db implements AutoCloseable {
    /** The context statement: signed context, statement timeout (ms); it answers its proof (R__01_helpers.sql). */
    public static final String CONTEXT_SQL = "CALL app.enter(?, ?, NULL)";
    private static final System.Logger LOG = System.getLogger(Db.class.getName());

    private final DataSource pool;
    private final Turns turns;
    private final ContextKey key;
    private final String login;
    private final String statementTimeout;
    private final RoundTrips roundTrips = new RoundTrips();

    /**
     * @param turns                  the order in which requests take {@code pool}'s connections
     * @param login                  the pool's login role, which the contexts are signed for
     * @param statementTimeoutMillis limit of each statement, set per transaction by app.enter()
     */
    Db(DataSource pool, Turns turns, ContextKey key, String login, long statementTimeoutMillis) {
        this.pool = pool;
        this.turns = turns;
        this.key = key;
        this.login = login;
        this.statementTimeout = Long.toString(statementTimeoutMillis);
    }

    /** Runs {@code work} in one transaction under {@code ctx}; commits if it returns, rolls back if it throws. */
    public <T> T inMarket(RequestContext ctx, Function<Tx, T> work) {
        Held held = claim(ctx);
        if (held != null) {
            return held.finish(ctx, false, work);
        }
        return onSafeConnection(() -> {
            try (Held own = new Held(open(false))) {
                return own.finish(ctx, false, work);
            }
        });
    }

    /** Runs the read-only {@code work} under {@code ctx}, each statement in one round trip of its own. */
    public <T> T read(RequestContext ctx, Function<Tx, T> work) {
        Held held = claim(ctx);
        if (held != null) {
            return held.finish(ctx, true, work);
        }
        return onSafeConnection(() -> {
            Connection c = open(true);
            Tx tx = new Tx(this, c, roundTrips, statementTimeout, true);
            try {
                enter(tx, ctx, true);
                return work.apply(tx);
            } finally {
                release(c, tx);
            }
        });
    }

    /**
     * Opens the request's one transaction under {@code ctx} ahead of its handler, for the manager API's
     * gate ({@code readOnly} for a request that only reads); the context it passes on
     * ({@link RequestContext#inTransaction}) makes the handler's {@code read} or {@code inMarket} join it.
     */
    public Held hold(RequestContext ctx, boolean readOnly) {
        claim(ctx);
        Held held = new Held(open(false));
        try {
            held.enter(ctx, readOnly);
        } catch (RuntimeException e) {
            held.close();
            throw e;
        }
        return held;
    }

    /** A statement outside any request context (health checks): it sees no table, by design. */
    public boolean ping() {
        Connection c = open(true);
        try (c; var st = c.createStatement(); var rs = st.executeQuery("SELECT 1")) {
            roundTrips.add();
            return rs.next();
        } catch (SQLException e) {
            throw new DbClientException("Database ping failed", e);
        } finally {
            turns.end();
        }
    }

    /** Round trips to the database since start: statements, commits and rollbacks. */
    public RoundTrips roundTrips() {
        return roundTrips;
    }

    public ContextKey key() {
        return key;
    }

    /** Requests waiting for a connection now. */
    int waiting() {
        return turns.waiting();
    }

    /** A connection with no context, for the start-up checks of this package only (they wait no turn). */
    Connection connection() throws SQLException {
        return pool.getConnection();
    }

    @Override
    public void close() {
        if (pool instanceof AutoCloseable closeable) {
            try {
                closeable.close();
            } catch (Exception e) {
                throw new IllegalStateException("Cannot close the pool", e);
            }
        }
    }

    /** Makes {@code ctx}, signed for the pool's login role, the context the next statement of {@code tx} enters. */
    void enter(Tx tx, RequestContext ctx, boolean readOnly) {
        String signed = key.sign(ctx, login, readOnly);
        tx.enter(ctx, readOnly, signed, key.proof(signed));
    }

    /**
     * Runs {@code attempt}; a refusal at the context statement (the connection carried state from an
     * earlier transaction, and is closed by now), before the transaction did anything, is retried
     * once on another connection.
     */
    private static <T> T onSafeConnection(Supplier<T> attempt) {
        try {
            return attempt.get();
        } catch (UnsafeConnection e) {
            if (!e.atContextStatement()) {
                throw e;
            }
            return attempt.get();
        }
    }

    /**
     * Returns the connection to the pool, or, when the database refused it for what an earlier
     * transaction left on it, closes it for good and logs a security event: nothing it carries
     * reaches another request.
     */
    private void release(Connection c, Tx tx) {
        UnsafeConnection unsafe = tx.unsafe();
        try {
            if (unsafe == null) {
                c.close();
                return;
            }
            LOG.log(System.Logger.Level.WARNING, "SECURITY request " + tx.context().requestId()
                    + ": a pooled connection carried state from an earlier transaction (" + unsafe.getMessage()
                    + "); connection closed");
            if (pool instanceof HikariDataSource hikari) {
                hikari.evictConnection(c);
            } else {
                c.abort(Runnable::run);
            }
        } catch (SQLException e) {
            LOG.log(System.Logger.Level.DEBUG, "Releasing a connection: " + e.getMessage());
        } finally {
            turns.end();
        }
    }

    /** A connection from the pool once this request's turn came ({@link Turns}); the caller gives back both. */
    private Connection open(boolean autoCommit) {
        turns.take();
        Connection c = null;
        try {
            c = pool.getConnection();
            c.setAutoCommit(autoCommit);
            roundTrips.began();
            return c;
        } catch (SQLException e) {
            closeQuietly(c);
            turns.end();
            throw new DbClientException("Cannot get a database connection", e);
        }
    }

    private static void closeQuietly(Connection c) {
        if (c != null) {
            try {
                c.close();
            } catch (SQLException e) {
                LOG.log(System.Logger.Level.DEBUG, "Closing a connection: " + e.getMessage());
            }
        }
    }

    /**
     * Claims the request's one transaction ({@link RequestContext#transaction}): null when the caller
     * opens its own (or {@code ctx} serves no HTTP request), the opened one to join; a second claim is
     * a bug, refused before anything reaches the database.
     */
    private static Held claim(RequestContext ctx) {
        RequestTransaction one = ctx.transaction();
        if (one == null) {
            return null;
        }
        if (!one.claim()) {
            throw new IllegalStateException("Request " + ctx.requestId() + " already ran its one transaction");
        }
        return one instanceof Held held ? held : null;
    }

    /** An open transaction; the {@code read} or {@code inMarket} that joins it commits it. */
    public final class Held implements AutoCloseable, RequestTransaction {
        private final Connection connection;
        private final Tx tx;
        private final RequestTransaction claims = RequestTransaction.unopened();
        private RequestContext entered;
        private boolean readOnly;
        private boolean committed;
        private boolean released;

        private Held(Connection connection) {
            this.connection = connection;
            this.tx = new Tx(Db.this, connection, roundTrips, statementTimeout, false);
        }

        /** The held transaction, for the manager API's gate's own statements (the lookup). */
        public Tx tx() {
            return tx;
        }

        @Override
        public boolean claim() {
            return claims.claim();
        }

        private void enter(RequestContext ctx, boolean ro) {
            Db.this.enter(tx, ctx, ro);
            entered = ctx;
            readOnly = ro;
        }

        private <T> T finish(RequestContext ctx, boolean wantsReadOnly, Function<Tx, T> work) {
            boolean ro = readOnly || wantsReadOnly;
            // the context the gate entered serves the handler as it is when nothing changed: one verification
            if (entered == null || !entered.sameCaller(ctx) || ro != readOnly) {
                enter(ctx, ro);
            }
            try {
                T result = work.apply(tx);
                connection.commit();
                roundTrips.add();
                committed = true;
                return result;
            } catch (SQLException e) {
                throw new DbClientException("Commit failed", e);
            } finally {
                close();
            }
        }

        /**
         * Rolls back unless committed, and returns the connection; a second call does nothing. Never
         * throws: a connection that cannot roll back is broken, and the pool discards it on close.
         */
        @Override
        public void close() {
            // nothing joins a transaction once it is closed
            claims.claim();
            if (released) {
                return;
            }
            released = true;
            try {
                if (!committed && tx.unsafe() == null) {
                    roundTrips.add();
                    connection.rollback();
                }
            } catch (SQLException e) {
                LOG.log(System.Logger.Level.DEBUG, "Rollback on a broken connection: " + e.getMessage());
            }
            release(connection, tx);
        }
    }
}
