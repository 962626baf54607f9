package marketbackend.catalog;

import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import marketbackend.db.Db;
import marketbackend.http.ApiException;
import marketbackend.http.Contexts;
import marketbackend.http.Json;
import marketbackend.http.Page;
import marketbackend.http.Query;

/** {@code GET /api/products} and {@code GET /api/products/{id}} for the market of the request. */
public final class ProductService implements HttpService {
    private final Db db;
    private final ProductRepository products = new ProductRepository();

    public ProductService(Db db) {
        this.db = db;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/", this::list)
                .get("/{id}", this::one);
    }

    private void list(ServerRequest req, ServerResponse res) {
        Query.Paging paging = Query.paging(req);
        ProductRepository.Filter filter = new ProductRepository.Filter(
                Query.optionalId(req, "category_id").orElse(null),
                Query.optionalText(req, "q", 100).orElse(null));
        Page<ProductRepository.ProductJson> page = db.inMarket(Contexts.of(req), tx -> Page.of(
                products.list(tx, filter, paging.size(), paging.offset()),
                paging.page(), paging.size(),
                products.count(tx, filter)));
        Json.send(res, page);
    }

    private void one(ServerRequest req, ServerResponse res) {
        long id = Query.pathId(req, "id", "Product");
        Json.send(res, db.inMarket(Contexts.of(req), tx -> products.find(tx, id))
                .orElseThrow(() -> ApiException.notFound("Product")));
    }
}
