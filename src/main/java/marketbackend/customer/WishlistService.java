package marketbackend.customer;

import java.util.List;

import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import marketbackend.catalog.ProductRepository;
import marketbackend.context.RequestContext;
import marketbackend.db.Db;
import marketbackend.http.ApiException;
import marketbackend.http.Contexts;
import marketbackend.http.Fields;
import marketbackend.http.Json;
import marketbackend.http.Query;

/**
 * {@code GET /api/wishlist}, {@code POST /api/wishlist/items {product_id}},
 * {@code DELETE /api/wishlist/items/{id}}. Adding a product twice keeps one item (200 the second time).
 */
public final class WishlistService implements HttpService {
    private final Db db;

    public WishlistService(Db db) {
        this.db = db;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/", this::wishlist)
                .post("/items", this::add)
                .delete("/items/{id}", this::remove);
    }

    public record AddItem(Long productId) {
        public AddItem {
            Fields.requiredId(productId, "product_id");
        }
    }

    public record WishlistJson(long id, String market, List<WishlistRepository.WishlistItemJson> items) {
    }

    private void wishlist(ServerRequest req, ServerResponse res) {
        RequestContext ctx = Contexts.customer(req);
        Json.send(res, db.inMarket(ctx, tx -> {
            long id = WishlistRepository.ensure(tx, ctx.userId());
            return new WishlistJson(id, ctx.market(), WishlistRepository.items(tx, ctx.userId()));
        }));
    }

    private void add(ServerRequest req, ServerResponse res) {
        RequestContext ctx = Contexts.customer(req);
        AddItem in = Json.read(req, AddItem.class);
        record Added(WishlistRepository.WishlistItemJson item, boolean created) {
        }
        Added added = db.inMarket(ctx, tx -> {
            ProductRepository.Buyable product = ProductRepository.buyable(tx, in.productId())
                    .orElseThrow(() -> ApiException.notFound("Product"));
            WishlistRepository.Added row = WishlistRepository.add(tx, WishlistRepository.ensure(tx, ctx.userId()),
                    product.id());
            return new Added(WishlistRepository.item(tx, row.id()).orElseThrow(), row.created());
        });
        Json.send(res, added.created() ? 201 : 200, added.item());
    }

    private void remove(ServerRequest req, ServerResponse res) {
        RequestContext ctx = Contexts.customer(req);
        long id = Query.pathId(req, "id", "Wishlist item");
        if (!db.inMarket(ctx, tx -> WishlistRepository.remove(tx, id))) {
            throw ApiException.notFound("Wishlist item");
        }
        res.status(Status.NO_CONTENT_204).send();
    }
}
