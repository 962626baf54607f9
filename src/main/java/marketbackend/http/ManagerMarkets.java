package marketbackend.http;

import java.util.List;
import java.util.Optional;

/** What the database says about a manager, read fresh on every manager request. */
public interface ManagerMarkets {

    /** The manager's record, or empty if the user is not (or no longer) a manager. */
    Optional<Access> lookup(long userId, String requestId);

    /** @param accessibleMarkets in display order; @param activeMarket saved choice, may be null */
    record Access(List<String> accessibleMarkets, String activeMarket, String role) {
    }
}
