package marketbackend.context;

/**
 * A verified bearer token: who the user is, the market of their phone, whether the token was
 * issued to a manager, and its login session. A manager's permissions are NOT in the token: they
 * are read from the database on every request; so is the session, in the request's own context.
 */
public record Principal(long userId, String market, boolean manager, long sessionId) {
}
