package marketbackend.customer;

import java.time.OffsetDateTime;
import java.util.Optional;

import io.helidon.dbclient.DbRow;

import marketbackend.db.Listing;
import marketbackend.db.Rows;
import marketbackend.db.Tx;

/**
 * The one home of {@code users}: login, the customer's profile and the manager API read and write
 * them here, but for login, which finds or signs up the phone's user in db-policies' app.redeem_login_code().
 * Which users a transaction may see is the policies' business: a customer only themselves, a manager
 * the managed market's users; a login transaction none.
 */
public final class UserRepository {
    /** The columns of a user as clients see it ({@link #of}). */
    public static final String COLUMNS = "id, market, phone, name, created_at";
    /** Every user the transaction may see, as {@code u}: a statement that fans out to them reads this. */
    public static final String VISIBLE = "users u";
    /** The columns of {@link #joinUser}: the user's phone, null when the policies hide the user. */
    public static final String JOINED_COLUMNS = "u.phone";

    private UserRepository() {
    }

    /** A user as clients see it. */
    public record UserJson(long id, String market, String phone, String name, OffsetDateTime createdAt) {
    }

    /** A row joined to the user {@code userIdColumn} names, as {@code u}. */
    public static String joinUser(String userIdColumn) {
        return " LEFT JOIN users u ON u.id = " + userIdColumn;
    }

    public static Optional<UserJson> find(Tx tx, long id) {
        return tx.get("SELECT " + COLUMNS + " FROM users WHERE id = ?", id).map(UserRepository::of);
    }

    /** The manager's list of customers, newest first; {@code phoneOrName} (null: any) matches a part of either. */
    public static Listing<UserJson> list(String phoneOrName) {
        Listing<UserJson> list = Listing.of(COLUMNS, "users", UserRepository::of).orderBy("id DESC");
        if (phoneOrName != null) {
            String like = Listing.contains(phoneOrName);
            list.where("phone LIKE ? ESCAPE '\\' OR name ILIKE ? ESCAPE '\\'", like, like);
        }
        return list;
    }

    public static Optional<UserJson> rename(Tx tx, long id, String name) {
        return tx.get("UPDATE users SET name = ? WHERE id = ? RETURNING " + COLUMNS, name, id).map(UserRepository::of);
    }

    /** A row of {@link #COLUMNS}, also one that login's definer function answers (auth/VerificationCodeRepository). */
    public static UserJson of(DbRow r) {
        return new UserJson(Rows.number(r, "id"), Rows.text(r, "market"), Rows.text(r, "phone"), Rows.optionalText(r, "name"),
                Rows.time(r, "created_at"));
    }
}
