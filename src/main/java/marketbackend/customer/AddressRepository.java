package marketbackend.customer;

import java.time.OffsetDateTime;
import java.util.Optional;

import io.helidon.dbclient.DbRow;

import marketbackend.db.Listing;
import marketbackend.db.Rows;
import marketbackend.db.Tx;

/**
 * The one home of {@code addresses}: the customer's address book and the checkout's snapshot.
 * Market and delivery service are set by the database from the user; the policies show a customer
 * only their own rows.
 */
public final class AddressRepository {
    private static final String COLUMNS = "id, market, line1, line2, city, region, postal_code, delivery_service, created_at";

    private AddressRepository() {
    }

    public record AddressJson(long id, String market, String line1, String line2, String city, String region,
                              String postalCode, String deliveryService, OffsetDateTime createdAt) {
    }

    public static Listing<AddressJson> list() {
        return Listing.of(COLUMNS, "addresses", AddressRepository::toJson).orderBy("id");
    }

    /** Empty for a missing address and for another customer's alike. */
    public static Optional<AddressJson> find(Tx tx, long id) {
        return tx.get("SELECT " + COLUMNS + " FROM addresses WHERE id = ?", id).map(AddressRepository::toJson);
    }

    public static AddressJson create(Tx tx, long userId, AddressInput in) {
        return tx.get("""
                INSERT INTO addresses (user_id, line1, line2, city, region, postal_code)
                VALUES (?, ?, ?, ?, ?, ?) RETURNING\s""" + COLUMNS,
                userId, in.line1(), in.line2(), in.city(), in.region(), in.postalCode())
                .map(AddressRepository::toJson).orElseThrow();
    }

    public static Optional<AddressJson> replace(Tx tx, long id, AddressInput in) {
        return tx.get("""
                UPDATE addresses SET line1 = ?, line2 = ?, city = ?, region = ?, postal_code = ?
                WHERE id = ? RETURNING\s""" + COLUMNS,
                in.line1(), in.line2(), in.city(), in.region(), in.postalCode(), id)
                .map(AddressRepository::toJson);
    }

    /** False when no row was deleted (missing, or another customer's). */
    public static boolean delete(Tx tx, long id) {
        return tx.dml("DELETE FROM addresses WHERE id = ?", id) > 0;
    }

    private static AddressJson toJson(DbRow r) {
        return new AddressJson(Rows.number(r, "id"), Rows.text(r, "market"), Rows.text(r, "line1"),
                Rows.optionalText(r, "line2"), Rows.text(r, "city"), Rows.text(r, "region"), Rows.text(r, "postal_code"),
                Rows.text(r, "delivery_service"), Rows.time(r, "created_at"));
    }
}
