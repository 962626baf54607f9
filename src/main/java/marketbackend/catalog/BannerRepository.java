package marketbackend.catalog;

import java.time.OffsetDateTime;
import java.util.Map;
import java.util.Optional;

import io.helidon.dbclient.DbRow;

import marketbackend.db.Listing;
import marketbackend.db.Rows;
import marketbackend.db.Tx;
import marketbackend.db.Updates;

/** The one home of {@code banners}, for the storefront and the manager API. */
public final class BannerRepository {
    private static final String COLUMNS = "id, market, title, image_url, link_url, position, starts_at, ends_at";
    private static final String MANAGED_COLUMNS = COLUMNS + ", is_active, created_at";
    /** What a PATCH may change, with each column's SQL type. */
    private static final Map<String, String> CHANGEABLE = Map.of("title", "text", "image_url", "text",
            "link_url", "text", "position", "integer", "starts_at", "timestamptz", "ends_at", "timestamptz",
            "is_active", "boolean");

    private BannerRepository() {
    }

    public record BannerJson(long id, String market, String title, String imageUrl, String linkUrl, int position,
                             OffsetDateTime startsAt, OffsetDateTime endsAt) {
    }

    public record ManagedBannerJson(long id, String market, String title, String imageUrl, String linkUrl,
                                    int position, boolean isActive, OffsetDateTime startsAt, OffsetDateTime endsAt,
                                    OffsetDateTime createdAt) {
    }

    /** The storefront list: banners of the market and of ALL that are showing now. */
    public static Listing<BannerJson> shelf() {
        return Listing.of(COLUMNS, "banners", BannerRepository::toJson)
                .where("(starts_at IS NULL OR starts_at <= now()) AND (ends_at IS NULL OR ends_at > now())")
                .orderBy("position, id");
    }

    public static Listing<ManagedBannerJson> managed() {
        return Listing.of(MANAGED_COLUMNS, "banners", BannerRepository::toManaged).orderBy("position, id");
    }

    public static Optional<ManagedBannerJson> findManaged(Tx tx, long id) {
        return tx.get("SELECT " + MANAGED_COLUMNS + " FROM banners WHERE id = ?", id).map(BannerRepository::toManaged);
    }

    /** Inserts a banner; answers its id. */
    public static long create(Tx tx, String market, String title, String imageUrl, String linkUrl, int position,
                              OffsetDateTime startsAt, OffsetDateTime endsAt) {
        return Rows.number(tx.get("""
                INSERT INTO banners (market, title, image_url, link_url, position, starts_at, ends_at)
                VALUES (?, ?, ?, CAST(? AS text), ?, CAST(? AS timestamptz), CAST(? AS timestamptz))
                RETURNING id""", market, title, imageUrl, linkUrl, position, startsAt, endsAt).orElseThrow(), "id");
    }

    /** Sets the columns named in {@code changes}; false when no row was writable. */
    public static boolean update(Tx tx, long id, Map<String, Object> changes) {
        return new Updates("banners", CHANGEABLE).setAll(changes).run(tx, id) > 0;
    }

    private static BannerJson toJson(DbRow r) {
        return new BannerJson(Rows.number(r, "id"), Rows.text(r, "market"), Rows.text(r, "title"),
                Rows.text(r, "image_url"), Rows.optionalText(r, "link_url"), Rows.integer(r, "position"),
                Rows.optionalTime(r, "starts_at"), Rows.optionalTime(r, "ends_at"));
    }

    private static ManagedBannerJson toManaged(DbRow r) {
        BannerJson b = toJson(r);
        return new ManagedBannerJson(b.id(), b.market(), b.title(), b.imageUrl(), b.linkUrl(), b.position(),
                Rows.bool(r, "is_active"), b.startsAt(), b.endsAt(), Rows.time(r, "created_at"));
    }
}
