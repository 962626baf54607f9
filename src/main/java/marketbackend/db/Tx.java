package marketbackend.db;

import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import io.helidon.dbclient.DbExecute;
import io.helidon.dbclient.DbRow;

/**
 * The statements a handler may run inside {@link Db#inMarket}. It exposes no commit, rollback or
 * connection: the transaction's lifetime and its context preamble belong to {@link Db}.
 * Parameters are positional ({@code ?}).
 */
public final class Tx {
    private final DbExecute execute;

    Tx(DbExecute execute) {
        this.execute = execute;
    }

    /** All rows of a query, read fully so that no cursor outlives the call. */
    public List<DbRow> query(String sql, Object... params) {
        try (Stream<DbRow> rows = execute.query(sql, params)) {
            return rows.toList();
        }
    }

    /** The single row of a query, if any. */
    public Optional<DbRow> get(String sql, Object... params) {
        return execute.get(sql, params);
    }

    /** Runs an INSERT, UPDATE or DELETE and answers the number of rows it touched. */
    public long dml(String sql, Object... params) {
        return execute.dml(sql, params);
    }
}
