package marketbackend.auth;

import java.time.Duration;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import marketbackend.AppConfig;
import marketbackend.context.RequestContext;
import marketbackend.customer.UserRepository;
import marketbackend.db.Db;
import marketbackend.http.ApiException;
import marketbackend.http.Contexts;
import marketbackend.http.Json;
import marketbackend.http.MarketFilter;
import marketbackend.market.MarketRegistry;
import marketbackend.ops.OpsMetrics;
import marketbackend.sms.SmsSender;

/**
 * Phone login: {@code POST /api/auth/code {phone}} sends a code by SMS, {@code POST /api/auth/token
 * {phone, code}} trades it for a new session: an access token and a refresh token ({@link Sessions}).
 * The market is the phone's, whatever X-Market says.
 * Both run as a guest whose context carries the phone (app.current_phone()): it reaches that phone's
 * codes and user only, through the database's login-code functions ({@link VerificationCodeRepository}).
 */
public final class AuthService implements HttpService {
    private static final Duration HOUR = Duration.ofHours(1);

    private final Db db;
    private final PhoneNumbers phones;
    private final VerificationCodeRepository codes;
    private final Sessions sessions;
    private final RateLimiter codeRequestsPerAddress;
    private final RateLimiter tokenTriesPerAddress;

    public AuthService(AppConfig config, Db db, MarketRegistry markets, Sessions sessions) {
        AuthSettings settings = config.auth();
        requireSmsEndpoints(config.smsMode(), settings, markets);
        this.db = db;
        this.phones = new PhoneNumbers(markets);
        this.codes = new VerificationCodeRepository(LoginCodes.create(settings, config.jwtSecretBytes()),
                SmsSender.create(config.smsMode(), settings), markets, settings.phone());
        this.sessions = sessions;
        this.codeRequestsPerAddress = new RateLimiter(settings.ipCodesPerHour(), HOUR);
        this.tokenTriesPerAddress = new RateLimiter(settings.ipTokenTriesPerHour(), HOUR);
    }

    @Override
    public void routing(HttpRules rules) {
        rules.post("/code", this::sendCode)
                .post("/token", this::token);
    }

    record CodeRequest(String phone) {
        CodeRequest {
            if (phone == null) {
                throw new IllegalArgumentException("Field 'phone' is required");
            }
        }
    }

    record TokenRequest(String phone, String code) {
        TokenRequest {
            if (phone == null || code == null) {
                throw new IllegalArgumentException("Fields 'phone' and 'code' are required");
            }
            if (!code.matches("[0-9]{6}")) {
                throw new IllegalArgumentException("Field 'code' must be the 6 digits from the SMS");
            }
        }
    }

    record CodeSent(String market, long expiresIn, long resendAfter) {
    }

    record TokenJson(String accessToken, String tokenType, long expiresIn, String refreshToken, long refreshExpiresIn,
                     UserRepository.UserJson user) {
    }

    private void sendCode(ServerRequest req, ServerResponse res) {
        String address = Contexts.caller(req).clientAddress();
        long wait = codeRequestsPerAddress.acquire(address);
        if (wait > 0) {
            throw ApiException.tooManyRequests(wait, "Too many code requests from your address; retry later");
        }
        CodeRequest body = Json.read(req, CodeRequest.class);
        RequestContext ctx = loginContext(req, res, body.phone());
        long retryAfter = db.inMarket(ctx, tx -> codes.issue(tx, ctx.phone(), address));
        if (retryAfter > 0) {
            throw ApiException.tooManyRequests(retryAfter, "A code was sent to this phone recently; retry later");
        }
        res.header(HeaderNames.CACHE_CONTROL, "no-store");
        OpsMetrics.codeSent(ctx.market());
        Json.send(res, 202, new CodeSent(ctx.market(), Duration.ofMinutes(VerificationCodeRepository.CODE_MINUTES).toSeconds(),
                codes.resendSeconds()));
    }

    /** What the login's transaction decided: the code's check, and the session it opened if the code was right. */
    private record Login(VerificationCodeRepository.Check check, Sessions.Grant grant) {
    }

    private void token(ServerRequest req, ServerResponse res) {
        long wait = tokenTriesPerAddress.acquire(Contexts.caller(req).clientAddress());
        if (wait > 0) {
            throw ApiException.tooManyRequests(wait, "Too many login attempts from your address; retry later");
        }
        TokenRequest body = Json.read(req, TokenRequest.class);
        RequestContext ctx = loginContext(req, res, body.phone());
        String userAgent = SessionService.userAgent(req);
        // one transaction, committed in every case (a wrong guess must stay counted): the code, then the session
        Login login = db.inMarket(ctx, tx -> {
            VerificationCodeRepository.Check check = codes.verify(tx, ctx.phone(), body.code());
            return new Login(check, check instanceof VerificationCodeRepository.Accepted a
                    ? sessions.open(tx, ctx, a.user().id(), a.user().market(), userAgent) : null);
        });
        UserRepository.UserJson user = switch (login.check()) {
            case VerificationCodeRepository.Accepted a -> a.user();
            case VerificationCodeRepository.Locked l -> throw ApiException.tooManyRequests(l.retryAfterSeconds(),
                    "Too many wrong codes; request a new code");
            case VerificationCodeRepository.Refused r -> throw ApiException.unauthorized("The code is wrong or expired");
        };
        Sessions.Grant grant = login.grant();
        res.header(HeaderNames.CACHE_CONTROL, "no-store");
        Json.send(res, new TokenJson(grant.accessToken(), "Bearer", grant.expiresIn(), grant.refreshToken(),
                grant.refreshExpiresIn(), user));
    }

    /** The request's context, moved to the phone's market and carrying the phone. */
    private RequestContext loginContext(ServerRequest req, ServerResponse res, String rawPhone) {
        PhoneNumbers.MarketPhone phone = phones.resolve(rawPhone);
        RequestContext ctx = Contexts.of(req).loggingIn(phone.market().code(), phone.e164());
        // the phone's market serves this request: say so, also on error answers
        req.context().register(Contexts.caller(req).withContext(ctx));
        res.header(MarketFilter.X_MARKET, ctx.market());
        return ctx;
    }

    /** With SMS_MODE=http every active market needs its endpoint: refuse to start without one. */
    private static void requireSmsEndpoints(String mode, AuthSettings settings, MarketRegistry markets) {
        if ("http".equals(mode)) {
            for (var market : markets.all()) {
                if (!settings.smsHttpUrls().containsKey(market.code())) {
                    throw new IllegalStateException("SMS_MODE=http needs SMS_HTTP_URL_" + market.code());
                }
            }
        }
    }
}
