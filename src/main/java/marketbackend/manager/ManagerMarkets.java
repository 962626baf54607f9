package marketbackend.manager;

import java.util.List;
import java.util.Optional;

import marketbackend.db.Tx;

/** What the database says about a manager, read fresh on every manager request. */
public interface ManagerMarkets {

    /** The record of the manager the transaction runs as, or empty if not (or no longer) a manager. */
    Optional<Access> lookup(Tx tx);

    /** The same, in a read of its own (or in the request's held transaction, see Db#hold). */
    Optional<Access> lookup(long userId, String requestId);

    /** @param accessibleMarkets in display order; @param activeMarket saved choice, may be null */
    record Access(List<String> accessibleMarkets, String activeMarket, String role) {
    }
}
