package marketbackend.customer;

import java.time.OffsetDateTime;
import java.util.Optional;

import io.helidon.dbclient.DbRow;

import marketbackend.db.Listing;
import marketbackend.db.Rows;
import marketbackend.db.Tx;

/**
 * The one home of {@code notifications}: the customer's inbox, the checkout's and the manager's
 * notices. Market and locale of a new notification are set by the database from its user.
 */
public final class NotificationRepository {
    private static final String COLUMNS = "id, market, locale, title, body, read_at, created_at";

    private NotificationRepository() {
    }

    /** What a notification says, in its market's language. */
    public record Text(String title, String body) {
    }

    public record NotificationJson(long id, String market, String locale, String title, String body,
                                   boolean read, OffsetDateTime readAt, OffsetDateTime createdAt) {
    }

    /** The customer's notifications, newest first. */
    public static Listing<NotificationJson> list(boolean unreadOnly) {
        Listing<NotificationJson> list = Listing.of(COLUMNS, "notifications", NotificationRepository::toJson)
                .orderBy("created_at DESC, id DESC");
        return unreadOnly ? list.where("read_at IS NULL") : list;
    }

    /** Marks a notification read (the first time only). */
    public static Optional<NotificationJson> markRead(Tx tx, long id) {
        return tx.get("UPDATE notifications SET read_at = coalesce(read_at, now()) WHERE id = ? RETURNING " + COLUMNS, id)
                .map(NotificationRepository::toJson);
    }

    public static void send(Tx tx, long userId, Text text) {
        tx.dml("INSERT INTO notifications (user_id, title, body) VALUES (?, ?, ?)", userId, text.title(), text.body());
    }

    /** One notification for every user the transaction may see, in one statement; answers how many. */
    public static long broadcast(Tx tx, Text text) {
        return tx.dml("INSERT INTO notifications (user_id, title, body) SELECT u.id, ?, ? FROM " + UserRepository.VISIBLE,
                text.title(), text.body());
    }

    private static NotificationJson toJson(DbRow r) {
        return new NotificationJson(Rows.number(r, "id"), Rows.text(r, "market"), Rows.text(r, "locale"),
                Rows.text(r, "title"), Rows.text(r, "body"), Rows.optionalTime(r, "read_at") != null,
                Rows.optionalTime(r, "read_at"), Rows.time(r, "created_at"));
    }
}
