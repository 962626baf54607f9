package marketbackend.manager;

import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;

import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import marketbackend.catalog.CatalogScope;
import marketbackend.context.RequestContext;
import marketbackend.db.Db;
import marketbackend.db.Tx;
import marketbackend.http.ApiException;
import marketbackend.http.Query;

/**
 * {@code DELETE} of a catalog row (product, category, banner): the row is deactivated, never
 * removed, and the change is audited. Deactivating an inactive row again changes nothing (204).
 *
 * @param <T> the row as the manager API shows it
 */
record Deactivation<T>(String entity, String label, Finder<T> finder, Writer deactivate,
                       Function<T, String> market, Predicate<T> active) {

    /** Reads the row by id in the request's transaction, as the manager sees it. */
    interface Finder<T> {
        Optional<T> find(Tx tx, RequestContext ctx, long id);
    }

    /** Writes the row by id; false when it was not writable or is gone. */
    interface Writer {
        boolean write(Tx tx, long id);
    }

    void handle(Db db, ServerRequest req, ServerResponse res) {
        RequestContext ctx = ManagerRequests.context(req);
        long id = Query.pathId(req, "id", label);
        db.inMarket(ctx, tx -> {
            T before = finder.find(tx, ctx, id).orElseThrow(() -> ApiException.notFound(label));
            CatalogScope.requireWritable(tx, ctx, market.apply(before));
            if (active.test(before)) {
                if (!deactivate.write(tx, id)) {
                    throw ApiException.notFound(label);
                }
                Audit.record(tx, "deactivate", entity, id, Audit.json(before), Audit.json(finder.find(tx, ctx, id).orElseThrow()));
            }
            return null;
        });
        res.status(Status.NO_CONTENT_204).send();
    }
}
