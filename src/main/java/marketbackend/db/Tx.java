package marketbackend.db;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

import org.postgresql.PGStatement;

import io.helidon.dbclient.DbClientException;
import io.helidon.dbclient.DbRow;

import marketbackend.context.RequestContext;

/**
 * The statements a handler may run inside {@link Db#inMarket} or {@link Db#read}. It exposes no
 * commit, rollback or connection: the transaction's lifetime and its context belong to {@link Db}.
 * The context rides in front of a statement, in the same round trip: {@code call app.enter(...); <sql>}
 * (PostgreSQL runs every message before one Sync in one transaction), and its answer must be the
 * proof that app.enter() ran. Parameters are positional ({@code ?}).
 */
public final class Tx {
    private static final String ENTER = Db.CONTEXT_SQL + "; ";
    private static final String LEFTOVERS = "SELECT EXISTS (SELECT FROM app.leftovers())";

    private final Db db;
    private final Connection connection;
    private final RoundTrips roundTrips;
    private final String statementTimeout;
    private final boolean eachStatement;
    private RequestContext context;
    private boolean readOnly;
    private String signedContext;
    private String proof;
    private UnsafeConnection unsafe;

    /**
     * @param eachStatement true in autocommit reads: every statement is its own transaction and
     *                      carries the context; false in a transaction: only the next statement does
     */
    Tx(Db db, Connection connection, RoundTrips roundTrips, String statementTimeout, boolean eachStatement) {
        this.db = db;
        this.connection = connection;
        this.roundTrips = roundTrips;
        this.statementTimeout = statementTimeout;
        this.eachStatement = eachStatement;
    }

    /** The context the next statement enters (verified again by the database), and what app.enter() answers then. */
    void enter(RequestContext ctx, boolean readOnly, String signed, String expectedProof) {
        this.context = ctx;
        this.readOnly = readOnly;
        this.signedContext = signed;
        this.proof = expectedProof;
    }

    /**
     * The rest of the transaction runs as {@code ctx}: the next statement enters it (verified again).
     * For a request whose caller is only known after a first lookup, such as a refresh that starts as
     * a guest and exchanges as the token's owner, or one that reads several markets, in one transaction.
     */
    public void switchTo(RequestContext ctx) {
        db.enter(this, ctx, readOnly);
    }

    /** The request this transaction serves: what the database verified, plus the client's own request id. */
    public RequestContext context() {
        return context;
    }

    /** Why the database refused this connection, if it did: then it must never serve another transaction. */
    UnsafeConnection unsafe() {
        return unsafe;
    }

    /** All rows of a query, read fully so that no cursor outlives the call. */
    public List<DbRow> query(String sql, Object... params) {
        return run(sql, params, (ps, isResultSet) -> {
            try (ResultSet rs = ps.getResultSet()) {
                return ResultRows.all(rs);
            }
        });
    }

    /** The single row of a query, if any. */
    public Optional<DbRow> get(String sql, Object... params) {
        return query(sql, params).stream().findFirst();
    }

    /** Runs an INSERT, UPDATE or DELETE and answers the number of rows it touched. */
    public long dml(String sql, Object... params) {
        return run(sql, params, (ps, isResultSet) -> ps.getLargeUpdateCount());
    }

    private <T> T run(String sql, Object[] params, Reader<T> reader) {
        String signed = signedContext;
        try (PreparedStatement ps = connection.prepareStatement(signed == null ? sql : ENTER + sql)) {
            int i = 1;
            if (signed != null) {
                ps.setString(i++, signed);
                ps.setString(i++, statementTimeout);
            }
            for (Object p : params) {
                ps.setObject(i++, p);
            }
            boolean isResultSet = ps.execute();
            roundTrips.add();
            if (signed != null) {
                if (!eachStatement) {
                    signedContext = null;
                }
                requireProof(ps);
                isResultSet = ps.getMoreResults();
            }
            return reader.read(ps, isResultSet);
        } catch (SQLException e) {
            if (UnsafeConnection.STATES.contains(e.getSQLState())
                    || signed != null && (UnsafeConnection.CARRIED_TRANSACTION.equals(e.getSQLState()) || carriesLeftovers())) {
                throw unsafe = new UnsafeConnection(e.getMessage(), e, signed != null);
            }
            throw new DbClientException(e.getMessage(), e);
        }
    }

    /**
     * After a context statement failed: does the connection carry statements prepared from SQL or
     * held cursors? A statement planted in place of app.enter() runs no check of its own, and the
     * statement behind it then fails without a context. Ends the failed transaction first, and asks
     * with an unnamed statement, which nothing can stand in for. Only on this error path: one more
     * round trip.
     */
    private boolean carriesLeftovers() {
        try {
            if (!connection.getAutoCommit()) {
                connection.rollback();
            }
            try (PreparedStatement ps = connection.prepareStatement(LEFTOVERS)) {
                ps.unwrap(PGStatement.class).setPrepareThreshold(0);
                try (ResultSet rs = ps.executeQuery()) {
                    return !rs.next() || rs.getBoolean(1);
                }
            }
        } catch (SQLException e) {
            return true;
        }
    }

    /** The context statement's answer is app.enter()'s proof, not what a statement planted under its name made up. */
    private void requireProof(PreparedStatement ps) throws SQLException {
        try (ResultSet rs = ps.getResultSet()) {
            if (rs == null || !rs.next() || !proof.equals(rs.getString(1))) {
                throw unsafe = new UnsafeConnection("the context statement did not answer app.enter()'s proof:"
                        + " a statement prepared from SQL stood in its place", null, true);
            }
        }
    }

    @FunctionalInterface
    private interface Reader<T> {
        T read(PreparedStatement ps, boolean isResultSet) throws SQLException;
    }
}
