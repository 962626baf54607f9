package marketbackend.manager;

import com.fasterxml.jackson.core.JsonProcessingException;

import marketbackend.db.Tx;
import marketbackend.http.Json;

/**
 * Appends one row to {@code audit_log} in the transaction of the write it records. Market, manager
 * and request id come from the transaction's verified context, so an entry cannot name another
 * market, manager or request than the one the policies checked; its policy refuses anything else.
 * The client's own X-Request-Id is stored beside ours, as the client sent it.
 */
public final class Audit {
    private static final String INSERT = """
            INSERT INTO audit_log (market, manager_id, action, entity, entity_id, before, after, request_id,
                                   client_request_id)
            VALUES (app.current_market(), app.current_user_id(), ?, ?, ?,
                    CAST(? AS jsonb), CAST(? AS jsonb), app.current_request_id(), ?)""";

    private Audit() {
    }

    /** @param before and @param after JSON text of the entity (null where there is none) */
    public static void record(Tx tx, String action, String entity, Object entityId, String before, String after) {
        tx.dml(INSERT, action, entity, entityId == null ? null : entityId.toString(), before, after,
                tx.context().clientRequestId());
    }

    /** JSON text of a value the application built (a map, a record). */
    public static String json(Object value) {
        try {
            return value == null ? null : Json.MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot write audit JSON", e);
        }
    }
}
