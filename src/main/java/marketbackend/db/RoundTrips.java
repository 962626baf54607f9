package marketbackend.db;

import java.util.concurrent.atomic.LongAdder;

/** Counts the exchanges with the database of one pool: statements sent, commits, rollbacks; and the transactions. */
public final class RoundTrips {
    private final LongAdder count = new LongAdder();
    private final LongAdder transactions = new LongAdder();

    void add() {
        count.increment();
    }

    void began() {
        transactions.increment();
    }

    public long total() {
        return count.sum();
    }

    /** Connections taken from the pool: each is one transaction, or one autocommit read. */
    public long transactions() {
        return transactions.sum();
    }
}
