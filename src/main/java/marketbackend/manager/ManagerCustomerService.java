package marketbackend.manager;

import java.time.OffsetDateTime;

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
        RequestContext ctx = Contexts.manager(req);
        Query.Paging paging = Query.paging(req);
        Listing<CustomerJson> list = Listing.of("id, market, phone, name, created_at", "users",
                r -> new CustomerJson(Rows.number(r, "id"), Rows.text(r, "market"), Rows.text(r, "phone"),
                        Rows.optionalText(r, "name"), Rows.time(r, "created_at")))
                .orderBy("id DESC");
        Query.optionalText(req, "q", 100).map(Listing::contains)
                .ifPresent(like -> list.where("phone LIKE ? ESCAPE '\\' OR name ILIKE ? ESCAPE '\\'", like, like));
        Json.send(res, db.read(ctx, tx -> Page.read(tx, paging, list)));
    }
}
