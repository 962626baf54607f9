package marketbackend.auth;

import java.util.Optional;

import marketbackend.context.Actor;
import marketbackend.context.Principal;
import marketbackend.context.RequestContext;
import marketbackend.db.Db;
import marketbackend.db.Tx;
import marketbackend.http.ApiException;
import marketbackend.http.Authenticator;
import marketbackend.manager.ManagerRepository;

/**
 * Login sessions: opened at login, renewed by exchanging refresh tokens (rotation with reuse
 * detection), ended by logout. Also the server's {@link Authenticator}: an access token counts only
 * while its session is live, checked in the database on every request, so logout and revocation
 * take effect at once (docs/SECURITY.md, "Sessions").
 */
public final class Sessions implements Authenticator {
    private final Db db;
    private final Tokens tokens;
    private final SessionSettings settings;

    public Sessions(Db db, Tokens tokens, SessionSettings settings) {
        this.db = db;
        this.tokens = tokens;
        this.settings = settings;
    }

    private record Refreshed(SessionRepository.Owner owner, SessionRepository.Exchange result, boolean manager) {
    }

    /** What a login or a refresh hands out. */
    public record Grant(String accessToken, long expiresIn, String refreshToken, long refreshExpiresIn,
                        long sessionId, String market) {
    }

    /**
     * Opens a session for a user who just proved their phone, in the login's transaction ({@code tx},
     * serving {@code login}), and its first tokens: whether they manage a market, then the session.
     */
    public Grant open(Tx tx, RequestContext login, long userId, String market, String userAgent) {
        tx.switchTo(login.as(Actor.MANAGER, null, userId));
        boolean manager = ManagerRepository.lookup(tx).isPresent();
        tx.switchTo(login.as(Actor.CUSTOMER, market, userId));
        return open(tx, userId, market, manager, userAgent);
    }

    /** Opens a session in a transaction of its own, for a user the caller vouches for (tests and tools mint tokens so). */
    public Grant open(long userId, String market, boolean manager, String userAgent, String requestId) {
        return db.inMarket(RequestContext.customer(market, userId, requestId),
                tx -> open(tx, userId, market, manager, userAgent));
    }

    private Grant open(Tx tx, long userId, String market, boolean manager, String userAgent) {
        String refresh = RefreshTokens.create();
        long sessionId = SessionRepository.open(tx, userId, userAgent, RefreshTokens.hash(refresh), settings.refreshTtl());
        return grant(userId, market, manager, sessionId, refresh);
    }

    /**
     * Exchanges a refresh token for new tokens. A token that is unknown, expired, of an ended session,
     * of another market than {@code requestedMarket} or of another user than the request's caller (when
     * it sent an access token) is refused with one and the same 401.
     */
    public Grant refresh(String refreshToken, Optional<String> requestedMarket, RequestContext request) {
        Long callerId = request.userId();
        if (!RefreshTokens.wellFormed(refreshToken)) {
            throw invalidRefresh();
        }
        String spent = RefreshTokens.hash(refreshToken);
        String next = RefreshTokens.create();
        // one transaction: as a guest, whose token it is; as that customer, the exchange (a reuse it
        // detects ends the session, so it commits also when the answer is a refusal); then whether
        // they manage a market, for the new access token
        Refreshed refreshed = db.inMarket(request.as(Actor.GUEST, null, null), tx -> {
            SessionRepository.Owner owner = SessionRepository.owner(tx, spent)
                    .filter(o -> requestedMarket.map(o.market()::equals).orElse(true))
                    .filter(o -> callerId == null || callerId == o.userId())
                    .orElse(null);
            if (owner == null) {
                return null;
            }
            tx.switchTo(request.as(Actor.CUSTOMER, owner.market(), owner.userId()));
            SessionRepository.Exchange result = SessionRepository.exchange(tx, owner.sessionId(), spent,
                    RefreshTokens.hash(next), settings.refreshTtl(), settings.reuseGrace());
            boolean manager = false;
            if (result instanceof SessionRepository.Exchanged) {
                tx.switchTo(request.as(Actor.MANAGER, null, owner.userId()));
                manager = ManagerRepository.lookup(tx).isPresent();
            }
            return new Refreshed(owner, result, manager);
        });
        if (refreshed == null) {
            throw invalidRefresh();
        }
        SessionRepository.Owner owner = refreshed.owner();
        return switch (refreshed.result()) {
            case SessionRepository.Exchanged e -> grant(owner.userId(), owner.market(), refreshed.manager(),
                    e.sessionId(), next);
            case SessionRepository.TooSoon t -> throw ApiException.conflict(
                    "This refresh token was exchanged a moment ago; use the refresh token of that answer");
            case SessionRepository.Reused r -> throw invalidRefresh();
            case SessionRepository.Refused r -> throw invalidRefresh();
        };
    }

    /**
     * The caller of a validly signed access token. Its session travels in the request's context, and
     * the database refuses the context of an ended or expired session (app.verify_context): a 401 at
     * the request's first statement, in the same round trip, not a lookup of its own.
     */
    @Override
    public Principal authenticate(String authorizationHeader) {
        return tokens.verify(authorizationHeader).principal();
    }

    private Grant grant(long userId, String market, boolean manager, long sessionId, String refresh) {
        Tokens.Issued access = tokens.issue(userId, market, manager, sessionId);
        return new Grant(access.token(), access.expiresIn(), refresh, settings.refreshTtl().toSeconds(), sessionId, market);
    }

    private static ApiException invalidRefresh() {
        return ApiException.unauthorized("Invalid or expired refresh token");
    }
}
