package marketbackend.context;

/**
 * Who is calling, decided once by the request filter (a manager's market and record by the manager
 * API's gate, the filter after it): the request's database context, the market the client asked for
 * with {@code X-Market} (null: none), the client's address as rate limits count it (IPv6 by its /64),
 * and for a manager what the database said about them. Handlers read it ({@code Contexts.caller}); none reads a header or a token again.
 */
public record Caller(RequestContext context, String requestedMarket, String clientAddress, ManagerAccess manager) {

    /** The same caller, served under another context (a login moves a guest to the phone's market). */
    public Caller withContext(RequestContext other) {
        return new Caller(other, requestedMarket, clientAddress, manager);
    }

    /** The same caller, as the manager API's gate decided it: their market's context, and their record. */
    public Caller asManager(RequestContext managed, ManagerAccess access) {
        return new Caller(managed, requestedMarket, clientAddress, access);
    }
}
