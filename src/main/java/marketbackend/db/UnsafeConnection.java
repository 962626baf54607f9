package marketbackend.db;

import io.helidon.dbclient.DbClientException;

/**
 * The database refused a pooled connection because an earlier transaction left something on it
 * that a later one could run or read (db-policies/R__01_helpers.sql, app.enter()), or a statement
 * stood where the server's own was. {@link Db} closes that connection and logs a security event.
 */
public final class UnsafeConnection extends DbClientException {
    /** SQLSTATEs of a connection that carried state: app.enter()'s refusal, and a pgjdbc statement removed or taken. */
    static final java.util.Set<String> STATES = java.util.Set.of("MB001", "26000", "42P05");
    /**
     * A failed transaction still open at the context statement: a COMMIT that pgjdbc had prepared
     * under a name was replaced, so the earlier transaction never ended.
     */
    static final String CARRIED_TRANSACTION = "25P02";

    private final boolean atContextStatement;

    UnsafeConnection(String message, Throwable cause, boolean atContextStatement) {
        super(message, cause);
        this.atContextStatement = atContextStatement;
    }

    /** True when the context statement failed: the transaction had done nothing yet. */
    boolean atContextStatement() {
        return atContextStatement;
    }
}
