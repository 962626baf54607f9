package marketbackend.customer;

import java.util.Optional;

import marketbackend.db.Rows;
import marketbackend.db.Tx;

/** A product the customer may buy: visible in the market (policies) and priced in it. */
final class Products {
    private Products() {
    }

    record Buyable(long id, String name, int stock) {
    }

    /** Empty for a missing product and for one of another market alike. */
    static Optional<Buyable> find(Tx tx, long id) {
        return tx.get("SELECT p.id, p.name, p.stock FROM products p JOIN product_prices pp ON pp.product_id = p.id"
                        + " WHERE p.id = ?", id)
                .map(r -> new Buyable(Rows.number(r, "id"), Rows.text(r, "name"), Rows.integer(r, "stock")));
    }
}
