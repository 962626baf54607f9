package marketbackend.context;

/**
 * The one transaction an HTTP request may run, carried by its {@link RequestContext} as a value.
 * The request filter gives every request an unopened one; the manager API's gate replaces it with the
 * transaction it opened for the manager's lookup. The first read or write claims it (and joins the
 * opened one); a second claim is a bug, refused before it reaches the database. Implemented by the
 * database layer for an opened transaction.
 */
public interface RequestTransaction extends AutoCloseable {

    /** True the first time (the request's transaction starts, or is joined, now), false after. */
    boolean claim();

    /** Rolls back unless committed, and returns the connection; never throws, and a second call does nothing. */
    @Override
    void close();

    /** The transaction of a request nothing has opened yet: the first read or write opens its own. */
    static RequestTransaction unopened() {
        return new RequestTransaction() {
            private boolean claimed;

            @Override
            public synchronized boolean claim() {
                boolean first = !claimed;
                claimed = true;
                return first;
            }

            @Override
            public void close() {
            }
        };
    }
}
