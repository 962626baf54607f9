package marketbackend.context;

/**
 * Who is calling, decided once by the request filter: the request's database context, the market
 * the client asked for with {@code X-Market} (null: none), and for a manager what the database said
 * about them. Handlers read it ({@code Contexts.caller}); none reads a header or a token again.
 */
public record Caller(RequestContext context, String requestedMarket, ManagerAccess manager) {

    /** The same caller, served under another context (a login moves a guest to the phone's market). */
    public Caller withContext(RequestContext other) {
        return new Caller(other, requestedMarket, manager);
    }
}
