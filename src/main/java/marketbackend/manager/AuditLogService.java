package marketbackend.manager;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import marketbackend.context.RequestContext;
import marketbackend.db.Db;
import marketbackend.db.Rows;
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
        RequestContext ctx = ManagerRequests.context(req);
        Query.Paging paging = Query.paging(req);
        List<Object> params = new ArrayList<>();
        StringBuilder where = new StringBuilder();
        Query.optionalChoice(req, "entity", Audit.ENTITIES).ifPresent(e -> {
            where.append(" AND entity = ?");
            params.add(e);
        });
        Query.optionalChoice(req, "action", Audit.ACTIONS).ifPresent(a -> {
            where.append(" AND action = ?");
            params.add(a);
        });
        String filter = where.isEmpty() ? "" : " WHERE" + where.substring(4);
        Page<EntryJson> page = db.read(ctx, tx -> {
            List<Object> pageParams = new ArrayList<>(params);
            pageParams.add(paging.size());
            pageParams.add(paging.offset());
            List<EntryJson> items = tx.query("""
                            SELECT id, market, manager_id, action, entity, entity_id, CAST(before AS text) AS before,
                                   CAST(after AS text) AS after, request_id, created_at
                            FROM audit_log""" + filter + " ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?", pageParams.toArray())
                    .stream()
                    .map(r -> new EntryJson(Rows.number(r, "id"), Rows.text(r, "market"), Rows.optionalNumber(r, "manager_id"),
                            Rows.text(r, "action"), Rows.text(r, "entity"), Rows.optionalText(r, "entity_id"),
                            Rows.optionalJson(r, "before"), Rows.optionalJson(r, "after"), Rows.optionalText(r, "request_id"),
                            Rows.time(r, "created_at")))
                    .toList();
            long total = tx.get("SELECT count(*) AS n FROM audit_log" + filter, params.toArray())
                    .map(r -> Rows.number(r, "n")).orElse(0L);
            return Page.of(items, paging.page(), paging.size(), total);
        });
        Json.send(res, page);
    }
}
