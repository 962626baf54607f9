package marketbackend.manager;

import java.util.LinkedHashMap;
import java.util.Map;

import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import marketbackend.context.RequestContext;
import marketbackend.customer.NotificationRepository;
import marketbackend.db.Db;
import marketbackend.http.Contexts;
import marketbackend.http.Json;

/**
 * {@code POST /api/manager/notifications {title, body}}: one notification for every customer of the
 * managed market, in one INSERT ... SELECT. The users policy limits the SELECT to the market's users;
 * the notifications policy (WITH CHECK) refuses a row of any other market.
 */
public final class ManagerNotificationService implements HttpService {
    private final Db db;

    public ManagerNotificationService(Db db) {
        this.db = db;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.post("/", this::broadcast);
    }

    record BroadcastBody(String title, String body) {
    }

    record BroadcastJson(String market, String title, String body, long recipients) {
    }

    private void broadcast(ServerRequest req, ServerResponse res) {
        RequestContext ctx = Contexts.manager(req);
        BroadcastBody in = Json.read(req, BroadcastBody.class);
        String title = Validate.text("title", in.title(), 200);
        String body = Validate.multiLine("body", in.body(), 2000);
        long recipients = db.inMarket(ctx, tx -> {
            long n = NotificationRepository.broadcast(tx, new NotificationRepository.Text(title, body));
            Map<String, Object> after = new LinkedHashMap<>();
            after.put("title", title);
            after.put("body", body);
            after.put("recipients", n);
            AuditLogRepository.record(tx, "broadcast", "notification", null, null, after);
            return n;
        });
        Json.send(res, 201, new BroadcastJson(ctx.market(), title, body, recipients));
    }
}
