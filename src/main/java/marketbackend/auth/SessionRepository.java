package marketbackend.auth;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Optional;

import marketbackend.db.Listing;
import marketbackend.db.Rows;
import marketbackend.db.Tx;

/**
 * The SQL of sessions and refresh tokens. Everything but {@link #owner} runs as the session's own
 * customer (role market_customer, user and market set): the policies of R__70_sessions.sql show it
 * that user's sessions only, so no query here says whose for isolation. Times are the database's.
 */
final class SessionRepository {
    private static final String LIVE = "ended_at IS NULL AND expires_at > now()";

    private SessionRepository() {
    }

    /** Who holds the token with this hash; runs as a guest, through the one definer function that may tell. */
    record Owner(long sessionId, long userId, String market) {
    }

    static Optional<Owner> owner(Tx tx, String tokenHash) {
        return tx.get("SELECT session_id, user_id, market FROM app.refresh_token_session(?)", tokenHash)
                .map(r -> new Owner(Rows.number(r, "session_id"), Rows.number(r, "user_id"), Rows.text(r, "market")));
    }

    /** A new session of the current user with its first refresh token; answers the session id. */
    static long open(Tx tx, long userId, String userAgent, String tokenHash, Duration ttl) {
        long id = tx.get("INSERT INTO sessions (user_id, user_agent, expires_at) "
                        + "VALUES (?, ?, now() + make_interval(secs => ?)) RETURNING id", userId, userAgent, ttl.toSeconds())
                .map(r -> Rows.number(r, "id")).orElseThrow();
        tx.dml("INSERT INTO refresh_tokens (token_hash, session_id, user_id) VALUES (?, ?, ?)", tokenHash, id, userId);
        return id;
    }

    /** What presenting a refresh token did. */
    sealed interface Exchange permits Exchanged, TooSoon, Reused, Refused {
    }

    /** The token was current: it is now spent and {@code next} is the session's token. */
    record Exchanged(long sessionId) implements Exchange {
    }

    /** Spent moments ago (a parallel or repeated request): refused, the session lives on. */
    record TooSoon() implements Exchange {
    }

    /** Spent earlier than the grace interval: someone replays an old token, so the session was ended. */
    record Reused() implements Exchange {
    }

    /** Unknown, expired, or of an ended session. */
    record Refused() implements Exchange {
    }

    /**
     * Exchanges the token with hash {@code spent} of session {@code sessionId} for a new one with
     * hash {@code next}. Exchanges of one session queue on the session's row lock, so of several
     * parallel requests with one token exactly one finds it current.
     */
    static Exchange exchange(Tx tx, long sessionId, String spent, String next, Duration ttl, Duration grace) {
        // the update policy covers live sessions only: an ended one yields no row here
        if (tx.get("SELECT id FROM sessions WHERE id = ? FOR UPDATE", sessionId).isEmpty()) {
            return new Refused();
        }
        // read after the lock: a statement sees what the request that held it committed
        var token = tx.get("""
                SELECT t.rotated_at IS NOT NULL AS spent,
                       t.rotated_at > clock_timestamp() - make_interval(secs => ?) AS recent,
                       s.expires_at > now() AS live
                FROM refresh_tokens t JOIN sessions s ON s.id = t.session_id
                WHERE t.token_hash = ? AND t.session_id = ?""", grace.toMillis() / 1000.0, spent, sessionId);
        if (token.isEmpty() || !Rows.bool(token.get(), "live")) {
            return new Refused();
        }
        if (Rows.bool(token.get(), "spent")) {
            if (Rows.bool(token.get(), "recent")) {
                return new TooSoon();
            }
            end(tx, sessionId, "reuse");
            return new Reused();
        }
        tx.dml("UPDATE refresh_tokens SET rotated_at = clock_timestamp() WHERE token_hash = ?", spent);
        tx.dml("INSERT INTO refresh_tokens (token_hash, session_id, user_id) "
                + "SELECT ?, id, user_id FROM sessions WHERE id = ?", next, sessionId);
        tx.dml("UPDATE sessions SET last_used_at = now(), expires_at = now() + make_interval(secs => ?) WHERE id = ?",
                ttl.toSeconds(), sessionId);
        return new Exchanged(sessionId);
    }

    /** Is this session of the current user live (not ended, not expired)? */
    /** Ends one live session of the current user; false if there is none with this id. */
    static boolean end(Tx tx, long sessionId, String reason) {
        return tx.dml("UPDATE sessions SET ended_at = now(), end_reason = ? WHERE id = ? AND ended_at IS NULL",
                reason, sessionId) == 1;
    }

    /** Ends every live session of the current user; answers how many. */
    static long endAll(Tx tx, String reason) {
        return tx.dml("UPDATE sessions SET ended_at = now(), end_reason = ? WHERE ended_at IS NULL", reason);
    }

    /** A session as its user sees it: never a token or a hash. */
    record SessionJson(long id, String market, OffsetDateTime createdAt, OffsetDateTime lastUsedAt,
                       OffsetDateTime expiresAt, String userAgent, boolean current) {
    }

    /** The current user's live sessions, most recently used first. */
    static Listing<SessionJson> list(long currentSessionId) {
        return Listing.of("id, market, created_at, last_used_at, expires_at, user_agent", "sessions",
                        r -> new SessionJson(Rows.number(r, "id"), Rows.text(r, "market"), Rows.time(r, "created_at"),
                                Rows.time(r, "last_used_at"), Rows.time(r, "expires_at"),
                                Rows.optionalText(r, "user_agent"), Rows.number(r, "id") == currentSessionId))
                .where(LIVE).orderBy("last_used_at DESC, id DESC");
    }
}
