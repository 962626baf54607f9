package marketbackend.audit;

/** One row of db-policies/audit.sql: which check, on which object, why, and how bad. */
public record Finding(String check, String object, String detail, String severity) {

    public boolean isError() {
        return "error".equals(severity);
    }
}
