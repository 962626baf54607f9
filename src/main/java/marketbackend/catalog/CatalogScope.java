package marketbackend.catalog;

import marketbackend.context.RequestContext;
import marketbackend.db.Rows;
import marketbackend.db.Tx;
import marketbackend.http.ApiException;
import marketbackend.market.MarketRegistry;

/**
 * Which catalog rows a manager may write, answered by the API before the policies refuse it, with
 * a message that says why. The rule is the database's {@code app.writable_markets()}, which the
 * policies of R__20_catalog.sql call too: rows of the current market, and rows of ALL only for a
 * manager of every market, open or closed. A body naming another market is a 403: the request
 * serves one market (X-Market) and cannot write another's rows; an unknown market name is a 422.
 */
public final class CatalogScope {
    public static final String ALL = "ALL";

    private CatalogScope() {
    }

    /** The {@code market} of a create body: the current market, ALL, or an error. */
    public static String forCreate(Tx tx, RequestContext ctx, MarketRegistry markets, String market) {
        if (market == null) {
            throw ApiException.unprocessable("Field 'market' is required: " + ctx.market() + " or ALL");
        }
        if (!ALL.equals(market) && markets.known(market).isEmpty()) {
            throw ApiException.unprocessable("Field 'market' must be " + ctx.market() + " or ALL, not '"
                    + (market.length() > 10 ? market.substring(0, 10) + "…" : market) + "'");
        }
        requireWritable(tx, ctx, market);
        return market;
    }

    /** Can a row of {@code market} (a category) serve a row of {@code rowMarket}: the same market, or ALL? */
    public static boolean sellsIn(String market, String rowMarket) {
        return ALL.equals(market) || market.equals(rowMarket);
    }

    /** Refuses a row the manager can see but not change: another market's, or ALL without every market. */
    public static void requireWritable(Tx tx, RequestContext ctx, String rowMarket) {
        // the rule itself is app.writable_markets(), the function the policies call (R__20_catalog.sql)
        boolean writable = tx.get("SELECT ? = ANY (app.writable_markets()) AS ok", rowMarket)
                .map(r -> Boolean.TRUE.equals(Rows.optionalBool(r, "ok"))).orElse(false);
        if (writable) {
            return;
        }
        if (ALL.equals(rowMarket)) {
            throw ApiException.forbidden("Only a manager of every market, open or closed, may write ALL rows");
        }
        throw ApiException.forbidden("This request serves the " + ctx.market() + " market; "
                + rowMarket + " rows are written with X-Market: " + rowMarket);
    }
}
