package marketbackend.manager;

import java.util.Optional;

import marketbackend.context.ManagerAccess;
import marketbackend.db.Tx;

/** What the database says about a manager, read fresh on every manager request. */
public interface ManagerMarkets {

    /** The record of the manager the transaction runs as, or empty if not (or no longer) a manager. */
    Optional<ManagerAccess> lookup(Tx tx);

    /** The same, in a read of its own (login and refresh: is this user a manager?). */
    Optional<ManagerAccess> lookup(long userId, String requestId);
}
