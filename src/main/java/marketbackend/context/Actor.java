package marketbackend.context;

/** Who is calling, and the database role their transactions run as. */
public enum Actor {
    GUEST("market_guest"),
    CUSTOMER("market_customer"),
    MANAGER("market_manager"),
    /** A background job with no user (the revenue snapshot job); never decided by a request. */
    REPORTER("market_reporter");

    private final String dbRole;

    Actor(String dbRole) {
        this.dbRole = dbRole;
    }

    public String dbRole() {
        return dbRole;
    }

    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
