package marketbackend.http;

/**
 * A verified bearer token: who the user is, the market of their phone, and whether the token was
 * issued to a manager. A manager's permissions are NOT in the token: they are read from the
 * database on every request.
 */
public record Principal(long userId, String market, boolean manager) {
}
