package marketbackend.context;

/**
 * A transaction the request filter opened for the request (a manager's, whose record it read
 * there), carried by the request's {@link RequestContext} as a value: the handler's first read or
 * write runs in it, and the filter closes it once, when the request ends. Implemented by the
 * database layer.
 */
public interface RequestTransaction extends AutoCloseable {

    /** Rolls back unless committed, and returns the connection; never throws, and a second call does nothing. */
    @Override
    void close();
}
