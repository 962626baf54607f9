package marketbackend.db;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

import io.helidon.dbclient.DbClientException;
import io.helidon.dbclient.DbRow;

import marketbackend.context.RequestContext;

/**
 * The statements a handler may run inside {@link Db#inMarket} or {@link Db#read}. It exposes no
 * commit, rollback or connection: the transaction's lifetime and its context belong to {@link Db}.
 * The context rides in front of a statement, in the same round trip: {@code call app.enter(...); <sql>}
 * (PostgreSQL runs every message before one Sync in one transaction). Parameters are positional ({@code ?}).
 */
public final class Tx {
    private static final String ENTER = Db.CONTEXT_SQL + "; ";

    private final Connection connection;
    private final RoundTrips roundTrips;
    private final String statementTimeout;
    private final boolean eachStatement;
    private RequestContext context;
    private String signedContext;
    private boolean readOnly;

    /**
     * @param eachStatement true in autocommit reads: every statement is its own transaction and
     *                      carries the context; false in a transaction: only the next statement does
     */
    Tx(Connection connection, RoundTrips roundTrips, String statementTimeout, boolean eachStatement) {
        this.connection = connection;
        this.roundTrips = roundTrips;
        this.statementTimeout = statementTimeout;
        this.eachStatement = eachStatement;
    }

    /** The context the next statement enters (verified again by the database). */
    void enter(RequestContext ctx, String signed, boolean readOnlyTransaction) {
        this.context = ctx;
        this.signedContext = signed;
        this.readOnly = readOnlyTransaction;
    }

    /** The request this transaction serves: what the database verified, plus the client's own request id. */
    public RequestContext context() {
        return context;
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
                ps.setBoolean(i++, readOnly);
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
                isResultSet = ps.getMoreResults();
            }
            return reader.read(ps, isResultSet);
        } catch (SQLException e) {
            throw new DbClientException(e.getMessage(), e);
        }
    }

    @FunctionalInterface
    private interface Reader<T> {
        T read(PreparedStatement ps, boolean isResultSet) throws SQLException;
    }
}
