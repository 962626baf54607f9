package marketbackend.context;

import java.util.Objects;


/**
 * What the database must know about a request: its role, market, user and id. Decided once by
 * {@link marketbackend.http.MarketFilter} (a manager's market by the manager API's gate);
 * {@link marketbackend.db.Db#inMarket} makes it the first statement of the request's one transaction.
 *
 * @param actor     guest, customer or manager
 * @param market    the market that serves the request, e.g. "KG" (null only for market-less reads
 *                  of reference data)
 * @param userId    the logged-in user, or null for a guest
 * @param requestId the server's id of the request, also logged and stored in the audit log
 * @param phone     the phone a guest logs in with (auth endpoints only), else null
 * @param clientRequestId the client's own X-Request-Id, if it sent a valid one: kept beside ours,
 *                  never trusted as ours (it is not part of what the database verifies)
 * @param sessionId the login session of the caller's token, or null; the database refuses the
 *                  context of a session that has ended
 * @param transaction the request's one transaction ({@link RequestTransaction}): unopened, or opened
 *                  ahead by the manager API's gate; null outside an HTTP request (jobs, commands)
 */
public record RequestContext(Actor actor, String market, Long userId, String requestId, String phone,
                             String clientRequestId, Long sessionId, RequestTransaction transaction) {

    public RequestContext {
        Objects.requireNonNull(actor, "actor");
        Objects.requireNonNull(requestId, "requestId");
    }

    public RequestContext(Actor actor, String market, Long userId, String requestId, String phone) {
        this(actor, market, userId, requestId, phone, null, null, null);
    }

    public static RequestContext guest(String market, String requestId) {
        return new RequestContext(Actor.GUEST, market, null, requestId, null);
    }

    public static RequestContext customer(String market, long userId, String requestId) {
        return new RequestContext(Actor.CUSTOMER, market, userId, requestId, null);
    }

    public static RequestContext manager(String market, long userId, String requestId) {
        return new RequestContext(Actor.MANAGER, market, userId, requestId, null);
    }

    /** Does {@code other} tell the database the same: role, market, user, request, phone and session? */
    public boolean sameCaller(RequestContext other) {
        return actor == other.actor && Objects.equals(market, other.market) && Objects.equals(userId, other.userId)
                && requestId.equals(other.requestId) && Objects.equals(phone, other.phone)
                && Objects.equals(sessionId, other.sessionId);
    }

    /** The same request, logging in with {@code phone} in {@code market} (auth endpoints). */
    public RequestContext loggingIn(String phoneMarket, String e164Phone) {
        return new RequestContext(Actor.GUEST, phoneMarket, null, requestId, e164Phone, clientRequestId, null,
                transaction);
    }

    /** The same request, as the caller a login or a refresh has just identified (no phone, no session). */
    public RequestContext as(Actor who, String otherMarket, Long user) {
        return new RequestContext(who, otherMarket, user, requestId, null, clientRequestId, null, transaction);
    }

    /** The same caller, served in another market (a manager's, once their gate decided it; each market of a revenue compare). */
    public RequestContext inMarket(String otherMarket) {
        return new RequestContext(actor, otherMarket, userId, requestId, phone, clientRequestId, sessionId, transaction);
    }

    /** The same request, with the X-Request-Id its client sent (null for none). */
    public RequestContext withClientRequestId(String clientId) {
        return new RequestContext(actor, market, userId, requestId, phone, clientId, sessionId, transaction);
    }

    /** The same request, made with a token of this login session. */
    public RequestContext inSession(long session) {
        return new RequestContext(actor, market, userId, requestId, phone, clientRequestId, session, transaction);
    }

    /** The same request, whose one transaction is {@code one} (unopened, or opened ahead by the manager API's gate). */
    public RequestContext inTransaction(RequestTransaction one) {
        return new RequestContext(actor, market, userId, requestId, phone, clientRequestId, sessionId, one);
    }
}
