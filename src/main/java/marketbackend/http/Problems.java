package marketbackend.http;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;

import io.helidon.http.BadRequestException;
import io.helidon.http.HeaderNames;
import io.helidon.http.HttpException;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import marketbackend.context.Caller;
import marketbackend.value.JsonCodec;

/**
 * RFC 9457 problem details for every error of the application. Clients get a status, a title and a
 * detail they can act on; never a stack trace, SQL, or internal names. Unexpected errors are logged
 * with the request id that the answer carries.
 */
public final class Problems {
    private static final System.Logger LOG = System.getLogger(Problems.class.getName());
    public static final String MEDIA_TYPE = "application/problem+json";
    /** Extension member of a problem (seconds); also sent as the {@code Retry-After} header. */
    public static final String RETRY_AFTER = "retry_after";

    private Problems() {
    }

    /** Registers the error mapping on the routing, once for the whole application. */
    public static void register(HttpRouting.Builder routing) {
        routing.error(ApiException.class, (req, res, e) -> send(req, res, e.status(), e.title(), e.detail(), e.extra()))
                .error(HttpException.class, Problems::httpException)
                .error(io.helidon.dbclient.DbClientException.class, (req, res, e) -> database(req, res, e))
                .error(Exception.class, (req, res, e) -> unexpected(req, res, e));
    }

    /** The same mapping as {@link #register}, for errors caught before routing (in the request filter). */
    public static void handle(ServerRequest req, ServerResponse res, Exception e) {
        switch (e) {
            case ApiException api -> send(req, res, api.status(), api.title(), api.detail(), api.extra());
            case HttpException http -> httpException(req, res, http);
            case io.helidon.dbclient.DbClientException db -> database(req, res, db);
            default -> unexpected(req, res, e);
        }
    }

    public static void send(ServerRequest req, ServerResponse res, int status, String title, String detail) {
        send(req, res, status, title, detail, null);
    }

    public static void send(ServerRequest req, ServerResponse res, int status, String title, String detail,
                            Object extra) {
        if (res.isSent()) {
            return;
        }
        String requestId = req.context().get(RequestId.class)
                .orElseGet(RequestId::create).value();
        byte[] bytes = body(status, title, detail, req.path().absolute().path(), requestId, extra);
        res.status(Status.create(status));
        res.header(HeaderNames.CONTENT_TYPE, MEDIA_TYPE);
        // error handling may have dropped the headers the filter set: every answer carries them
        res.header(HeaderNames.VARY, MarketFilter.VARY);
        res.header(MarketFilter.X_REQUEST_ID, requestId);
        Cors.apply(req, res);
        req.context().get(Caller.class).map(Caller::context).ifPresent(c -> {
            if (c.market() != null) {
                res.header(MarketFilter.X_MARKET, c.market());
            }
        });
        if (extra instanceof Map<?, ?> m && m.get(RETRY_AFTER) instanceof Number seconds) {
            // a 429 says when to come back, in the header and in the body
            res.header(HeaderNames.RETRY_AFTER, Long.toString(seconds.longValue()));
        } else if (status == 503) {
            res.header(HeaderNames.RETRY_AFTER, "2");
        }
        res.send(bytes);
    }

    /**
     * The one shape of a problem body, for the routing and for the HTTP layer ({@link ProblemDirectHandler}).
     *
     * @param instance the request path, or null where it is not worth repeating (a 414's over-long URI)
     * @param extra    optional extension members (a map), e.g. {@code retry_after} or field errors
     */
    static byte[] body(int status, String title, String detail, String instance, String requestId, Object extra) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", "about:blank");
        body.put("title", title);
        body.put("status", status);
        body.put("detail", detail);
        if (instance != null) {
            body.put("instance", instance);
        }
        body.put("request_id", requestId);
        if (extra instanceof Map<?, ?> m) {
            m.forEach((k, v) -> body.put(String.valueOf(k), v));
        }
        try {
            return JsonCodec.MAPPER.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a problem body is plain strings and numbers", e);
        }
    }

    private static void httpException(ServerRequest req, ServerResponse res, HttpException e) {
        int code = e.status().code();
        String detail = e instanceof BadRequestException ? "The request is malformed" : e.status().reasonPhrase();
        if (code == 413) {
            detail = "The request body is too large";
        }
        if (code >= 500) {
            LOG.log(System.Logger.Level.ERROR, "HTTP error " + code + " on " + req.path().path(), e);
            detail = "The server could not handle the request";
        }
        send(req, res, code, e.status().reasonPhrase(), detail);
    }

    /** SQL errors carry SQLSTATEs; map the ones a client can cause or retry, hide the rest. */
    private static void database(ServerRequest req, ServerResponse res, Exception e) {
        if (e instanceof marketbackend.db.UnsafeConnection) {
            // Db closed the connection and logged the security event; another one serves the retry
            send(req, res, 503, "Service Unavailable", "The database connection was reset; retry shortly");
            return;
        }
        SQLException sql = findSql(e);
        String state = sql == null ? null : sql.getSQLState();
        if (sql instanceof SQLTransientConnectionException || (state != null && state.startsWith("08"))
                || "57P01".equals(state) || "57P03".equals(state) || "53300".equals(state)) {
            LOG.log(System.Logger.Level.WARNING, "Database unavailable: " + e.getMessage());
            send(req, res, 503, "Service Unavailable", "The database is unavailable; retry shortly");
            return;
        }
        if (state != null) {
            switch (state) {
                case "57014" -> {
                    send(req, res, 503, "Service Unavailable", "The request took too long; retry shortly");
                    return;
                }
                case "40001", "40P01" -> {
                    send(req, res, 409, "Conflict", "A concurrent change conflicted; retry the request");
                    return;
                }
                case "23505" -> {
                    send(req, res, 409, "Conflict", "It already exists");
                    return;
                }
                case "23503", "23514", "23502", "22001", "22003", "22P02", "22007", "22008" -> {
                    send(req, res, 422, "Unprocessable Content", "The request is not valid for this market");
                    return;
                }
                case "MC001" -> {
                    // db-policies/R__05_markets.sql: a closed market sells nothing
                    send(req, res, 409, "Conflict", "The market is closed: nothing can be added or changed there");
                    return;
                }
                case "28000" -> {
                    // the database refused the request's context: its login session ended (logout, reuse,
                    // access removed) or expired; the server's own key is checked at start-up
                    send(req, res, 401, "Unauthorized", "Invalid or expired token");
                    return;
                }
                case "42501" -> {
                    // a policy refused the row: to the client it does not exist in this market
                    send(req, res, 404, "Not Found", "Not found");
                    return;
                }
                default -> {
                }
            }
        }
        unexpected(req, res, e);
    }

    private static void unexpected(ServerRequest req, ServerResponse res, Exception e) {
        if (e instanceof ApiException api) {
            send(req, res, api.status(), api.title(), api.detail(), api.extra());
            return;
        }
        if (findSql(e) != null && !(e instanceof io.helidon.dbclient.DbClientException)) {
            database(req, res, e);
            return;
        }
        String id = req.context().get(Caller.class).map(c -> c.context().requestId()).orElse("-");
        LOG.log(System.Logger.Level.ERROR, "Unexpected error in request " + id + " " + req.path().path(), e);
        send(req, res, 500, "Internal Server Error", "Something went wrong; the request id identifies it in our logs");
    }

    static SQLException findSql(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException s) {
                return s;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return null;
    }
}
