package marketbackend.catalog;

import java.util.List;

import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import marketbackend.context.RequestContext;
import marketbackend.db.CatalogReads;
import marketbackend.http.ApiException;
import marketbackend.http.Contexts;
import marketbackend.http.Json;
import marketbackend.http.Page;
import marketbackend.http.Query;
import marketbackend.http.TotalsCache;

/** {@code GET /api/products} and {@code GET /api/products/{id}} for the market of the request. */
public final class ProductService implements HttpService {
    private final CatalogReads db;
    private final ProductRepository products = new ProductRepository();
    private final TotalsCache totals;

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
        Query.Paging paging = Query.paging(req);
        ProductRepository.Filter filter = new ProductRepository.Filter(
                Query.optionalId(req, "category_id").orElse(null),
                Query.optionalText(req, "q", 100).orElse(null));
        RequestContext ctx = Contexts.of(req);
        Page<ProductRepository.ProductJson> page = db.read(ctx, tx -> {
            List<ProductRepository.ProductJson> items = products.list(tx, filter, paging.size(), paging.offset());
            // a short first page is the whole result: no need to count
            long total = paging.page() == 1 && items.size() < paging.size()
                    ? items.size()
                    : totals.get(ctx.market(), filter.toString(), () -> products.count(tx, filter));
            return Page.of(items, paging.page(), paging.size(), total);
        });
        Json.send(res, page);
    }

    private void one(ServerRequest req, ServerResponse res) {
        long id = Query.pathId(req, "id", "Product");
        Json.send(res, db.read(Contexts.of(req), tx -> products.find(tx, id))
                .orElseThrow(() -> ApiException.notFound("Product")));
    }
}
