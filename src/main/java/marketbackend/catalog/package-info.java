/**
 * The catalog: products with their per-market prices, categories and banners. Each table has one
 * repository here that holds all its SQL ({@link marketbackend.catalog.ProductRepository},
 * {@link marketbackend.catalog.CategoryRepository}, {@link marketbackend.catalog.BannerRepository});
 * the storefront services here, the manager API and the cart call them. {@link
 * marketbackend.catalog.CatalogScope} is the Java side of the catalog write rule,
 * {@code app.writable_markets()}. docs/ARCHITECTURE.md follows a request through them.
 */
package marketbackend.catalog;
