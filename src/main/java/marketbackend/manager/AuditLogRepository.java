package marketbackend.manager;

import java.time.OffsetDateTime;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

import marketbackend.db.Listing;
import marketbackend.db.Rows;
import marketbackend.db.Tx;
import marketbackend.value.JsonCodec;

/**
 * The one home of {@code audit_log} in the server: the manager's log, and the append of one row in
 * the transaction of the write it records. Market, manager and request id come from the
 * transaction's verified context, so an entry cannot name another market, manager or request than
 * the one the policies checked; its policy refuses anything else. The client's own X-Request-Id is
 * stored beside ours, as the client sent it.
 */
public final class AuditLogRepository {
    private static final String INSERT = """
            INSERT INTO audit_log (market, manager_id, action, entity, entity_id, before, after, request_id,
                                   client_request_id)
            VALUES (app.current_market(), app.current_user_id(), ?, ?, ?,
                    CAST(? AS jsonb), CAST(? AS jsonb), app.current_request_id(), ?)""";

    /** Every entity the log names; the audit-log filter and the OpenAPI enum list the same. */
    public static final List<String> ENTITIES = List.of("order", "product", "category", "banner", "notification",
            "revenue_snapshot", "manager_settings");
    /** Every action the log names. */
    public static final List<String> ACTIONS = List.of("create", "update", "deactivate", "status", "broadcast", "snapshot");

    private static final String COLUMNS = """
            id, market, manager_id, action, entity, entity_id, CAST(before AS text) AS before,
            CAST(after AS text) AS after, request_id, created_at""";

    private AuditLogRepository() {
    }

    record EntryJson(long id, String market, Long managerId, String action, String entity, String entityId,
                     JsonNode before, JsonNode after, String requestId, OffsetDateTime createdAt) {
    }

    /** The log, newest first; a null filter means "any". */
    static Listing<EntryJson> list(String entity, String action) {
        Listing<EntryJson> list = Listing.of(COLUMNS, "audit_log", r -> new EntryJson(Rows.number(r, "id"),
                        Rows.text(r, "market"), Rows.optionalNumber(r, "manager_id"), Rows.text(r, "action"),
                        Rows.text(r, "entity"), Rows.optionalText(r, "entity_id"), Rows.optionalJson(r, "before"),
                        Rows.optionalJson(r, "after"), Rows.optionalText(r, "request_id"), Rows.time(r, "created_at")))
                .orderBy("created_at DESC, id DESC");
        if (entity != null) {
            list.where("entity = ?", entity);
        }
        return action == null ? list : list.where("action = ?", action);
    }

    /** @param before and @param after the entity as the API shows it (a record or a map), stored as JSON; null where there is none */
    public static void record(Tx tx, String action, String entity, Object entityId, Object before, Object after) {
        if (!ENTITIES.contains(entity) || !ACTIONS.contains(action)) {
            // a filter value nobody can ask for would hide the entry
            throw new IllegalArgumentException("Unlisted audit entry: " + action + " " + entity);
        }
        tx.dml(INSERT, action, entity, entityId == null ? null : entityId.toString(), JsonCodec.text(before),
                JsonCodec.text(after),
                tx.context().clientRequestId());
    }
}
