package marketbackend.catalog;

import java.time.OffsetDateTime;
import java.util.Map;
import java.util.Optional;

import io.helidon.dbclient.DbRow;

import marketbackend.db.Listing;
import marketbackend.db.Rows;
import marketbackend.db.Tx;
import marketbackend.db.Updates;

/** The one home of {@code categories}, for the storefront and the manager API. */
public final class CategoryRepository {
    private static final String COLUMNS = "id, market, parent_id, name, position";
    private static final String MANAGED_COLUMNS = COLUMNS + ", is_active, created_at";
    /** What a PATCH may change, with each column's SQL type. */
    private static final Map<String, String> CHANGEABLE = Map.of("name", "text", "parent_id", "bigint",
            "position", "integer", "is_active", "boolean");

    private CategoryRepository() {
    }

    public record CategoryJson(long id, String market, Long parentId, String name, int position) {
    }

    public record ManagedCategoryJson(long id, String market, Long parentId, String name, int position,
                                      boolean isActive, OffsetDateTime createdAt) {
    }

    /** The storefront list: the categories of the market and of ALL. */
    public static Listing<CategoryJson> shelf() {
        return Listing.of(COLUMNS, "categories", CategoryRepository::toJson).orderBy("position, id");
    }

    public static Listing<ManagedCategoryJson> managed() {
        return Listing.of(MANAGED_COLUMNS, "categories", CategoryRepository::toManaged).orderBy("position, id");
    }

    public static Optional<ManagedCategoryJson> findManaged(Tx tx, long id) {
        return tx.get("SELECT " + MANAGED_COLUMNS + " FROM categories WHERE id = ?", id).map(CategoryRepository::toManaged);
    }

    /** The market of a category the current caller can see. */
    public static Optional<String> market(Tx tx, long id) {
        return tx.get("SELECT market FROM categories WHERE id = ?", id).map(r -> Rows.text(r, "market"));
    }

    /** Is {@code category} the category {@code ancestor} or one of its descendants? */
    public static boolean isWithin(Tx tx, long category, long ancestor) {
        return Rows.number(tx.get("""
                WITH RECURSIVE up AS (
                    SELECT id, parent_id FROM categories WHERE id = ?
                    UNION
                    SELECT c.id, c.parent_id FROM categories c JOIN up ON c.id = up.parent_id)
                SELECT count(*) AS n FROM up WHERE id = ?""", category, ancestor).orElseThrow(), "n") > 0;
    }

    /** Inserts a category; answers its id. */
    public static long create(Tx tx, String market, Long parentId, String name, int position) {
        return Rows.number(tx.get("""
                INSERT INTO categories (market, parent_id, name, position)
                VALUES (?, CAST(? AS bigint), ?, ?) RETURNING id""", market, parentId, name, position).orElseThrow(), "id");
    }

    /** Sets the columns named in {@code changes}; false when no row was writable. */
    public static boolean update(Tx tx, long id, Map<String, Object> changes) {
        return new Updates("categories", CHANGEABLE).setAll(changes).run(tx, id) > 0;
    }

    private static CategoryJson toJson(DbRow r) {
        return new CategoryJson(Rows.number(r, "id"), Rows.text(r, "market"), Rows.optionalNumber(r, "parent_id"),
                Rows.text(r, "name"), Rows.integer(r, "position"));
    }

    private static ManagedCategoryJson toManaged(DbRow r) {
        CategoryJson c = toJson(r);
        return new ManagedCategoryJson(c.id(), c.market(), c.parentId(), c.name(), c.position(),
                Rows.bool(r, "is_active"), Rows.time(r, "created_at"));
    }
}
