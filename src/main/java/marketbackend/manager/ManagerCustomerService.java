package marketbackend.manager;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

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

/** {@code GET /api/manager/customers?q=&page=&size=}: the users of the managed market, newest first. */
public final class ManagerCustomerService implements HttpService {
    private final Db db;

    public ManagerCustomerService(Db db) {
        this.db = db;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/", this::list);
    }

    record CustomerJson(long id, String market, String phone, String name, OffsetDateTime createdAt) {
    }

    private void list(ServerRequest req, ServerResponse res) {
        RequestContext ctx = ManagerRequests.context(req);
        Query.Paging paging = Query.paging(req);
        List<Object> params = new ArrayList<>();
        String where = Query.optionalText(req, "q", 100).map(q -> {
            String like = "%" + q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
            params.add(like);
            params.add(like);
            return " WHERE phone LIKE ? ESCAPE '\\' OR name ILIKE ? ESCAPE '\\'";
        }).orElse("");
        Page<CustomerJson> page = db.read(ctx, tx -> {
            List<Object> pageParams = new ArrayList<>(params);
            pageParams.add(paging.size());
            pageParams.add(paging.offset());
            List<CustomerJson> items = tx.query("SELECT id, market, phone, name, created_at FROM users" + where
                            + " ORDER BY id DESC LIMIT ? OFFSET ?", pageParams.toArray()).stream()
                    .map(r -> new CustomerJson(Rows.number(r, "id"), Rows.text(r, "market"), Rows.text(r, "phone"),
                            Rows.optionalText(r, "name"), Rows.time(r, "created_at")))
                    .toList();
            long total = tx.get("SELECT count(*) AS n FROM users" + where, params.toArray())
                    .map(r -> Rows.number(r, "n")).orElse(0L);
            return Page.of(items, paging.page(), paging.size(), total);
        });
        Json.send(res, page);
    }
}
