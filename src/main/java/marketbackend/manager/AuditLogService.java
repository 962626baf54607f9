package marketbackend.manager;

import java.time.OffsetDateTime;

import com.fasterxml.jackson.databind.JsonNode;

import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import marketbackend.context.RequestContext;
import marketbackend.db.Db;
import marketbackend.db.Listing;
import marketbackend.db.Rows;
import marketbackend.http.Contexts;
import marketbackend.http.Json;
import marketbackend.http.Page;
import marketbackend.http.Query;

/** {@code GET /api/manager/audit-log?entity=&action=&page=&size=}: the managed market's log, newest first. */
public final class AuditLogService implements HttpService {
    private final Db db;

    public AuditLogService(Db db) {
        this.db = db;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/", this::list);
    }

    record EntryJson(long id, String market, Long managerId, String action, String entity, String entityId,
                     JsonNode before, JsonNode after, String requestId, OffsetDateTime createdAt) {
    }

    private void list(ServerRequest req, ServerResponse res) {
        RequestContext ctx = Contexts.manager(req);
        Query.Paging paging = Query.paging(req);
        Listing<EntryJson> list = Listing.of("""
                        id, market, manager_id, action, entity, entity_id, CAST(before AS text) AS before,
                        CAST(after AS text) AS after, request_id, created_at""", "audit_log",
                r -> new EntryJson(Rows.number(r, "id"), Rows.text(r, "market"), Rows.optionalNumber(r, "manager_id"),
                            Rows.text(r, "action"), Rows.text(r, "entity"), Rows.optionalText(r, "entity_id"),
                            Rows.optionalJson(r, "before"), Rows.optionalJson(r, "after"), Rows.optionalText(r, "request_id"),
                            Rows.time(r, "created_at")))
                .orderBy("created_at DESC, id DESC");
        Query.optionalChoice(req, "entity", Audit.ENTITIES).ifPresent(e -> list.where("entity = ?", e));
        Query.optionalChoice(req, "action", Audit.ACTIONS).ifPresent(a -> list.where("action = ?", a));
        Json.send(res, db.read(ctx, tx -> Page.read(tx, paging, list)));
    }
}
