package marketbackend.manager;

import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import marketbackend.context.RequestContext;
import marketbackend.customer.UserRepository;
import marketbackend.db.Db;
import marketbackend.http.Contexts;
import marketbackend.http.Json;
import marketbackend.http.Query;
import marketbackend.value.Paging;

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

    private void list(ServerRequest req, ServerResponse res) {
        RequestContext ctx = Contexts.manager(req);
        Paging paging = Query.paging(req);
        String q = Query.optionalText(req, "q", 100).orElse(null);
        Json.send(res, db.read(ctx, tx -> UserRepository.list(q).page(tx, paging)));
    }
}
