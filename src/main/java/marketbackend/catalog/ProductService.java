package marketbackend.catalog;

import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import marketbackend.db.CatalogReads;
import marketbackend.http.ApiException;
import marketbackend.http.Contexts;
import marketbackend.http.Json;
import marketbackend.http.Query;
import marketbackend.value.Paging;
import marketbackend.db.TotalsCache;

/** {@code GET /api/products} and {@code GET /api/products/{id}} for the market of the request. */
public final class ProductService implements HttpService {
    private final CatalogReads db;
    private final TotalsCache totals;

    /** @param totals where the list's totals are kept a few seconds */
    public ProductService(CatalogReads db, TotalsCache totals) {
        this.db = db;
        this.totals = totals;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/", this::list)
                .get("/{id}", this::one);
    }

    private void list(ServerRequest req, ServerResponse res) {
        Paging paging = Query.paging(req);
        var shelf = ProductRepository.shelf(Query.optionalId(req, "category_id").orElse(null),
                Query.optionalText(req, "q", 100).orElse(null));
        Json.send(res, db.read(Contexts.of(req), tx -> shelf.page(tx, paging, totals)));
    }

    private void one(ServerRequest req, ServerResponse res) {
        long id = Query.pathId(req, "id", "Product");
        Json.send(res, db.read(Contexts.of(req), tx -> ProductRepository.find(tx, id))
                .orElseThrow(() -> ApiException.notFound("Product")));
    }
}
