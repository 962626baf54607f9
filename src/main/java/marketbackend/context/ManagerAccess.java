package marketbackend.context;

import java.util.List;

/**
 * What the database says about a manager (app.manager_access()), read once per manager request by
 * the manager API's gate ({@code manager/ManagerGate}), in the request's own transaction.
 *
 * @param accessibleMarkets the markets they manage, in display order
 * @param activeMarket      their saved choice, may be null
 * @param role              {@code manager} or {@code admin}
 * @param homeMarket        the market of their own phone, like every user's
 * @param phone             their own phone
 */
public record ManagerAccess(List<String> accessibleMarkets, String activeMarket, String role, String homeMarket,
                            String phone) {

    /** Where a request without X-Market goes: the saved choice while still accessible, else the first accessible market. */
    public String defaultMarket() {
        if (activeMarket != null && accessibleMarkets.contains(activeMarket)) {
            return activeMarket;
        }
        return accessibleMarkets.isEmpty() ? null : accessibleMarkets.getFirst();
    }
}
