package marketbackend.manager;

import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;

import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import marketbackend.catalog.CatalogScope;
import marketbackend.context.RequestContext;
import marketbackend.db.Db;
import marketbackend.db.Tx;
import marketbackend.http.ApiException;
import marketbackend.http.Contexts;
import marketbackend.http.Json;
import marketbackend.http.Query;

/**
 * What the manager API does alike for each catalog entity (product, category, banner): read one by
 * id, answer a creation, audit a write, and {@code DELETE}, which deactivates the row, never removes
 * it. Deactivating an inactive row again changes nothing (204).
 *
 * @param entity the entity as the audit log names it
 * @param label  the entity in answers ("Product not found")
 * @param path   where the API serves it, e.g. {@code /api/manager/products}
 * @param <T>    the row as the manager API shows it
 */
record ManagerCatalogSteps<T>(String entity, String label, String path, Finder<T> finder, Writer update,
                      Function<T, String> market, Predicate<T> active) {

    /** Reads the row by id in the request's transaction, as the manager sees it. */
    interface Finder<T> {
        Optional<T> find(Tx tx, RequestContext ctx, long id);
    }

    /** Sets the columns of {@code changes} in the row by id; false when it was not writable or is gone. */
    interface Writer {
        boolean write(Tx tx, long id, Map<String, Object> changes);
    }

    /** The id of the request's path, a 404 when it cannot name a row. */
    long id(ServerRequest req) {
        return Query.pathId(req, "id", label);
    }

    void one(Db db, ServerRequest req, ServerResponse res) {
        RequestContext ctx = Contexts.manager(req);
        long id = id(req);
        Json.send(res, db.inMarket(ctx, tx -> finder.find(tx, ctx, id)).orElseThrow(this::notFound));
    }

    /** The row before a change; a 404 when the manager cannot see it. */
    T existing(Tx tx, RequestContext ctx, long id) {
        return finder.find(tx, ctx, id).orElseThrow(this::notFound);
    }

    /** A 404 unless the write changed the row. */
    void requireWritten(boolean written) {
        if (!written) {
            throw notFound();
        }
    }

    /** The row after {@code action}, recorded in the audit log with the row before it (null: none). */
    T audited(Tx tx, RequestContext ctx, String action, long id, T before) {
        T after = existing(tx, ctx, id);
        AuditLogRepository.record(tx, action, entity, id, before, after);
        return after;
    }

    void sendCreated(ServerResponse res, long id, T created) {
        res.header(HeaderNames.LOCATION, path + "/" + id);
        Json.send(res, Status.CREATED_201.code(), created);
    }

    void deactivate(Db db, ServerRequest req, ServerResponse res) {
        RequestContext ctx = Contexts.manager(req);
        long id = id(req);
        db.inMarket(ctx, tx -> {
            T before = existing(tx, ctx, id);
            CatalogScope.requireWritable(tx, ctx, market.apply(before));
            if (active.test(before)) {
                requireWritten(update.write(tx, id, Map.of("is_active", false)));
                audited(tx, ctx, "deactivate", id, before);
            }
            return null;
        });
        res.status(Status.NO_CONTENT_204).send();
    }

    private ApiException notFound() {
        return ApiException.notFound(label);
    }
}
