package marketbackend.http;

import java.util.List;

import marketbackend.db.Listing;
import marketbackend.db.Tx;

/** The shape of every list answer: {@code {"items": [...], "page", "size", "total"}}. */
public record Page<T>(List<T> items, int page, int size, long total) {

    public static <T> Page<T> of(List<T> items, int page, int size, long total) {
        return new Page<>(items, page, size, total);
    }

    /** The page of {@code listing} that {@code paging} asks for, counted in the same transaction. */
    public static <T> Page<T> read(Tx tx, Query.Paging paging, Listing<T> listing) {
        return read(tx, paging, listing, null);
    }

    /**
     * Like {@link #read(Tx, Query.Paging, Listing)}, the total kept a few seconds in {@code totals}
     * (null: always count). A short first page is the whole list: no count at all.
     */
    public static <T> Page<T> read(Tx tx, Query.Paging paging, Listing<T> listing, TotalsCache totals) {
        List<T> items = listing.items(tx, paging.size(), paging.offset());
        long total;
        if (paging.page() == 1 && items.size() < paging.size()) {
            total = items.size();
        } else if (totals == null) {
            total = listing.count(tx);
        } else {
            total = totals.get(tx.context().market(), listing.key(), () -> listing.count(tx));
        }
        return new Page<>(items, paging.page(), paging.size(), total);
    }
}
