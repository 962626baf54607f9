package marketbackend.customer;

import java.math.BigDecimal;
import java.util.List;
import java.util.Objects;

import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import marketbackend.catalog.ProductRepository;
import marketbackend.context.RequestContext;
import marketbackend.db.Db;
import marketbackend.db.Tx;
import marketbackend.http.ApiException;
import marketbackend.http.Contexts;
import marketbackend.http.Fields;
import marketbackend.http.Json;
import marketbackend.http.Query;
import marketbackend.market.MarketRegistry;
import marketbackend.value.Money;

/**
 * {@code GET /api/cart}, {@code POST /api/cart/items {product_id, quantity}},
 * {@code PUT|DELETE /api/cart/items/{id}}. Only products visible in the customer's market can be
 * added: a product of another market answers 404 like a missing one.
 */
public final class CartService implements HttpService {
    static final int MAX_QUANTITY = 1000;

    private final Db db;
    private final MarketRegistry markets;

    public CartService(Db db, MarketRegistry markets) {
        this.db = db;
        this.markets = markets;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/", this::cart)
                .post("/items", this::add)
                .put("/items/{id}", this::change)
                .delete("/items/{id}", this::remove);
    }

    public record AddItem(Long productId, Integer quantity) {
        public AddItem {
            Fields.requiredId(productId, "product_id");
            quantity = checkedQuantity(quantity);
        }
    }

    public record ChangeItem(Integer quantity) {
        public ChangeItem {
            quantity = checkedQuantity(quantity);
        }
    }

    public record CartItemJson(long id, String market, long productId, String name, int quantity, String unitPrice,
                               String lineTotal, String currency, boolean available, boolean inStock) {
    }

    public record CartJson(long id, String market, String currency, List<CartItemJson> items, int itemCount,
                           String total) {
    }

    private void cart(ServerRequest req, ServerResponse res) {
        RequestContext ctx = Contexts.customer(req);
        String currency = markets.require(ctx.market()).currency();
        Json.send(res, db.inMarket(ctx, tx -> {
            long cartId = CartRepository.ensure(tx, ctx.userId());
            List<CartRepository.Item> items = CartRepository.items(tx, ctx.userId());
            BigDecimal total = items.stream().map(CartRepository.Item::lineTotal).filter(Objects::nonNull)
                    .reduce(BigDecimal.ZERO, BigDecimal::add);
            int count = items.stream().mapToInt(CartRepository.Item::quantity).sum();
            return new CartJson(cartId, ctx.market(), currency, items.stream().map(CartService::toJson).toList(),
                    count, Money.format(total));
        }));
    }

    private void add(ServerRequest req, ServerResponse res) {
        RequestContext ctx = Contexts.customer(req);
        AddItem in = Json.read(req, AddItem.class);
        record Added(CartItemJson item, boolean created) {
        }
        Added added = db.inMarket(ctx, tx -> {
            ProductRepository.Buyable product = ProductRepository.buyable(tx, in.productId())
                    .orElseThrow(() -> ApiException.notFound("Product"));
            long cartId = CartRepository.ensure(tx, ctx.userId());
            checkQuantity(CartRepository.quantity(tx, cartId, product.id()) + in.quantity(), product);
            CartRepository.Added row = CartRepository.add(tx, cartId, product.id(), in.quantity());
            return new Added(item(tx, row.id()), row.created());
        });
        Json.send(res, added.created() ? 201 : 200, added.item());
    }

    private void change(ServerRequest req, ServerResponse res) {
        RequestContext ctx = Contexts.customer(req);
        long id = Query.pathId(req, "id", "Cart item");
        ChangeItem in = Json.read(req, ChangeItem.class);
        Json.send(res, db.inMarket(ctx, tx -> {
            CartRepository.Item item = CartRepository.item(tx, id).orElseThrow(CartService::notFound);
            ProductRepository.Buyable product = ProductRepository.buyable(tx, item.productId())
                    .orElseThrow(() -> ApiException.conflict("This product is no longer available; remove it"));
            checkQuantity(in.quantity(), product);
            CartRepository.setQuantity(tx, id, in.quantity());
            return item(tx, id);
        }));
    }

    private void remove(ServerRequest req, ServerResponse res) {
        RequestContext ctx = Contexts.customer(req);
        long id = Query.pathId(req, "id", "Cart item");
        if (!db.inMarket(ctx, tx -> CartRepository.remove(tx, id))) {
            throw notFound();
        }
        res.status(Status.NO_CONTENT_204).send();
    }

    private static CartItemJson item(Tx tx, long id) {
        return CartRepository.item(tx, id).map(CartService::toJson).orElseThrow(CartService::notFound);
    }

    private static void checkQuantity(int quantity, ProductRepository.Buyable product) {
        if (quantity > MAX_QUANTITY) {
            throw ApiException.unprocessable("At most " + MAX_QUANTITY + " of a product fit in the cart");
        }
        if (quantity > product.stock()) {
            throw ApiException.conflict(product.stock() == 0 ? "This product is out of stock"
                    : "Only " + product.stock() + " of this product are in stock");
        }
    }

    private static Integer checkedQuantity(Integer quantity) {
        if (quantity == null) {
            throw new IllegalArgumentException("Field 'quantity' is required");
        }
        if (quantity < 1 || quantity > MAX_QUANTITY) {
            throw new IllegalArgumentException("Field 'quantity' must be 1 to " + MAX_QUANTITY);
        }
        return quantity;
    }

    private static ApiException notFound() {
        return ApiException.notFound("Cart item");
    }

    static CartItemJson toJson(CartRepository.Item i) {
        return new CartItemJson(i.id(), i.market(), i.productId(), i.name(), i.quantity(), Money.format(i.unitPrice()),
                Money.format(i.lineTotal()), i.currency(), i.available(), i.stock() != null && i.stock() > 0);
    }
}
