package marketbackend.catalog;

import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import marketbackend.db.CatalogReads;
import marketbackend.http.Contexts;
import marketbackend.http.Json;
import marketbackend.http.Page;
import marketbackend.http.Query;

/** {@code GET /api/categories}: the categories of the market and of ALL. */
public final class CategoryService implements HttpService {
    private final CatalogReads db;

    public CategoryService(CatalogReads db) {
        this.db = db;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/", this::list);
    }

    private void list(ServerRequest req, ServerResponse res) {
        Query.Paging paging = Query.paging(req);
        Json.send(res, db.read(Contexts.of(req), tx -> Page.read(tx, paging, CategoryRepository.shelf())));
    }
}
