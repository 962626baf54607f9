package marketbackend.customer;

import java.time.OffsetDateTime;

import io.helidon.dbclient.DbRow;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import marketbackend.context.RequestContext;
import marketbackend.db.Db;
import marketbackend.db.Listing;
import marketbackend.db.Rows;
import marketbackend.http.ApiException;
import marketbackend.http.Contexts;
import marketbackend.http.Json;
import marketbackend.http.Page;
import marketbackend.http.Query;

/**
 * {@code GET /api/notifications[?unread=true]} (newest first) and
 * {@code POST /api/notifications/{id}/read}. Texts are in the market's language, written when
 * the notification was created.
 */
public final class NotificationService implements HttpService {
    private static final String COLUMNS = "id, market, locale, title, body, read_at, created_at";

    private final Db db;

    public NotificationService(Db db) {
        this.db = db;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/", this::list)
                .post("/{id}/read", this::read);
    }

    public record NotificationJson(long id, String market, String locale, String title, String body,
                                   boolean read, OffsetDateTime readAt, OffsetDateTime createdAt) {
    }

    private void list(ServerRequest req, ServerResponse res) {
        RequestContext ctx = Contexts.customer(req);
        Query.Paging paging = Query.paging(req);
        boolean unreadOnly = Query.optionalText(req, "unread", 5).map(v -> switch (v) {
            case "true" -> true;
            case "false" -> false;
            default -> throw ApiException.badRequest("Query parameter 'unread' must be true or false");
        }).orElse(false);
        Listing<NotificationJson> list = Listing.of(COLUMNS, "notifications", NotificationService::toJson)
                .orderBy("created_at DESC, id DESC");
        if (unreadOnly) {
            list.where("read_at IS NULL");
        }
        Json.send(res, db.read(ctx, tx -> Page.read(tx, paging, list)));
    }

    private void read(ServerRequest req, ServerResponse res) {
        RequestContext ctx = Contexts.customer(req);
        long id = Query.pathId(req, "id", "Notification");
        Json.send(res, db.inMarket(ctx, tx -> tx.get("UPDATE notifications SET read_at = coalesce(read_at, now())"
                        + " WHERE id = ? RETURNING " + COLUMNS, id))
                .map(NotificationService::toJson).orElseThrow(() -> ApiException.notFound("Notification")));
    }

    private static NotificationJson toJson(DbRow r) {
        return new NotificationJson(Rows.number(r, "id"), Rows.text(r, "market"), Rows.text(r, "locale"),
                Rows.text(r, "title"), Rows.text(r, "body"), Rows.optionalTime(r, "read_at") != null,
                Rows.optionalTime(r, "read_at"), Rows.time(r, "created_at"));
    }
}
