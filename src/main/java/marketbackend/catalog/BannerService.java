package marketbackend.catalog;

import marketbackend.db.CatalogReads;

/** {@code GET /api/banners}: banners of the market and of ALL that are showing now. */
public final class BannerService extends Shelf {
    public BannerService(CatalogReads db) {
        super(db, BannerRepository::shelf);
    }
}
