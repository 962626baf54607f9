package marketbackend.manager;

import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import marketbackend.context.RequestContext;
import marketbackend.db.Db;
import marketbackend.http.Contexts;
import marketbackend.http.Json;
import marketbackend.http.Query;
import marketbackend.value.Paging;

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

    private void list(ServerRequest req, ServerResponse res) {
        RequestContext ctx = Contexts.manager(req);
        Paging paging = Query.paging(req);
        String entity = Query.optionalChoice(req, "entity", AuditLogRepository.ENTITIES).orElse(null);
        String action = Query.optionalChoice(req, "action", AuditLogRepository.ACTIONS).orElse(null);
        Json.send(res, db.read(ctx, tx -> AuditLogRepository.list(entity, action).page(tx, paging)));
    }
}
