package marketbackend.catalog;

import marketbackend.db.CatalogReads;

/** {@code GET /api/categories}: the categories of the market and of ALL. */
public final class CategoryService extends Shelf {
    public CategoryService(CatalogReads db) {
        super(db, CategoryRepository::shelf);
    }
}
