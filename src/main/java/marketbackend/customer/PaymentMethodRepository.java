package marketbackend.customer;

import java.time.OffsetDateTime;
import java.util.Optional;

import io.helidon.dbclient.DbRow;

import marketbackend.db.Listing;
import marketbackend.db.Rows;
import marketbackend.db.Tx;

/**
 * The one home of {@code payment_methods}: the customer's saved cards and the checkout's expiry
 * check. The gateway is set by the database from the market; the token is written, never read back.
 */
public final class PaymentMethodRepository {
    private static final String COLUMNS = "id, market, gateway, brand, last4, exp_month, exp_year, created_at";

    private PaymentMethodRepository() {
    }

    public record PaymentMethodJson(long id, String market, String gateway, String brand, String last4,
                                    int expMonth, int expYear, OffsetDateTime createdAt) {
    }

    public static Listing<PaymentMethodJson> list() {
        return Listing.of(COLUMNS, "payment_methods", PaymentMethodRepository::toJson).orderBy("id");
    }

    /** Empty for a missing card and for another customer's alike. */
    public static Optional<PaymentMethodJson> find(Tx tx, long id) {
        return tx.get("SELECT " + COLUMNS + " FROM payment_methods WHERE id = ?", id).map(PaymentMethodRepository::toJson);
    }

    public static PaymentMethodJson create(Tx tx, long userId, PaymentMethodInput in) {
        return tx.get("""
                INSERT INTO payment_methods (user_id, token, brand, last4, exp_month, exp_year)
                VALUES (?, ?, ?, ?, ?, ?) RETURNING\s""" + COLUMNS,
                userId, in.token(), in.brand(), in.last4(), in.expMonth(), in.expYear())
                .map(PaymentMethodRepository::toJson).orElseThrow();
    }

    /** False when no row was deleted (missing, or another customer's). */
    public static boolean delete(Tx tx, long id) {
        return tx.dml("DELETE FROM payment_methods WHERE id = ?", id) > 0;
    }

    private static PaymentMethodJson toJson(DbRow r) {
        return new PaymentMethodJson(Rows.number(r, "id"), Rows.text(r, "market"), Rows.text(r, "gateway"),
                Rows.text(r, "brand"), Rows.text(r, "last4"), Rows.integer(r, "exp_month"),
                Rows.integer(r, "exp_year"), Rows.time(r, "created_at"));
    }
}
