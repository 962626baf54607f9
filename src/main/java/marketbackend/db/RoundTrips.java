package marketbackend.db;

import java.util.concurrent.atomic.LongAdder;

/** Counts the exchanges with the database (statements sent, commits, rollbacks) of one pool. */
public final class RoundTrips {
    private final LongAdder count = new LongAdder();

    void add() {
        count.increment();
    }

    public long total() {
        return count.sum();
    }
}
