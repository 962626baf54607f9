package marketbackend.customer;

import java.time.OffsetDateTime;
import java.util.Optional;

import io.helidon.dbclient.DbRow;

import marketbackend.db.Rows;
import marketbackend.db.Tx;

/**
 * Reads and writes of {@code users}. Which user a transaction may see is the policies' business:
 * a login transaction sees only the user of its phone, a customer only themselves.
 */
public final class Users {
    private static final String COLUMNS = "id, market, phone, name, created_at";

    private Users() {
    }

    /** A user as clients see it. */
    public record UserJson(long id, String market, String phone, String name, OffsetDateTime createdAt) {
    }

    public static Optional<UserJson> find(Tx tx, long id) {
        return tx.get("SELECT " + COLUMNS + " FROM users WHERE id = ?", id).map(Users::toJson);
    }

    /** Does {@code e164Phone} have an account (that this transaction may see)? */
    public static boolean exists(Tx tx, String e164Phone) {
        return tx.get("SELECT id FROM users WHERE phone = ?", e164Phone).isPresent();
    }

    /** The user of {@code e164Phone}, created in {@code market} on the first login; the market never changes later. */
    public static UserJson findOrCreate(Tx tx, String market, String e164Phone) {
        return tx.get("SELECT " + COLUMNS + " FROM users WHERE phone = ?", e164Phone)
                .or(() -> tx.get("INSERT INTO users (market, phone) VALUES (?, ?) RETURNING " + COLUMNS,
                        market, e164Phone))
                .map(Users::toJson)
                .orElseThrow(() -> new IllegalStateException("INSERT ... RETURNING gave no row"));
    }

    public static Optional<UserJson> rename(Tx tx, long id, String name) {
        return tx.get("UPDATE users SET name = ? WHERE id = ? RETURNING " + COLUMNS, name, id).map(Users::toJson);
    }

    static UserJson toJson(DbRow r) {
        return new UserJson(Rows.number(r, "id"), Rows.text(r, "market"), Rows.text(r, "phone"), Rows.optionalText(r, "name"),
                Rows.time(r, "created_at"));
    }
}
