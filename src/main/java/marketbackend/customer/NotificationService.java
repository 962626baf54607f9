package marketbackend.customer;

import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import marketbackend.context.RequestContext;
import marketbackend.db.Db;
import marketbackend.http.ApiException;
import marketbackend.http.Contexts;
import marketbackend.http.Json;
import marketbackend.http.Query;
import marketbackend.value.Paging;

/**
 * {@code GET /api/notifications[?unread=true]} (newest first) and
 * {@code POST /api/notifications/{id}/read}. Texts are in the market's language, written when
 * the notification was created.
 */
public final class NotificationService implements HttpService {
    private final Db db;

    public NotificationService(Db db) {
        this.db = db;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/", this::list)
                .post("/{id}/read", this::read);
    }

    private void list(ServerRequest req, ServerResponse res) {
        RequestContext ctx = Contexts.customer(req);
        Paging paging = Query.paging(req);
        boolean unreadOnly = Query.optionalText(req, "unread", 5).map(v -> switch (v) {
            case "true" -> true;
            case "false" -> false;
            default -> throw ApiException.badRequest("Query parameter 'unread' must be true or false");
        }).orElse(false);
        Json.send(res, db.read(ctx, tx -> NotificationRepository.list(unreadOnly).page(tx, paging)));
    }

    private void read(ServerRequest req, ServerResponse res) {
        RequestContext ctx = Contexts.customer(req);
        long id = Query.pathId(req, "id", "Notification");
        Json.send(res, db.inMarket(ctx, tx -> NotificationRepository.markRead(tx, id))
                .orElseThrow(() -> ApiException.notFound("Notification")));
    }
}
