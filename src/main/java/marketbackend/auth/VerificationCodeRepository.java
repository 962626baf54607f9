package marketbackend.auth;

import java.math.BigDecimal;

import io.helidon.dbclient.DbRow;

import marketbackend.customer.UserRepository;
import marketbackend.db.Rows;
import marketbackend.db.Tx;
import marketbackend.market.Market;
import marketbackend.market.MarketRegistry;
import marketbackend.sms.SmsSender;
import marketbackend.sms.SmsTexts;

/**
 * Login codes in {@code verification_codes}, which no request role may read or write: a login
 * transaction (role market_guest, the phone in its context: app.current_phone()) issues and
 * redeems them through two SECURITY DEFINER functions that act on that one phone
 * (db-policies/R__30_customers.sql). The HMAC is computed here, with a key the database never sees.
 */
final class VerificationCodeRepository {
    static final int CODE_MINUTES = 10;

    private final LoginCodes codes;
    private final SmsSender sms;
    private final MarketRegistry markets;
    private final AuthSettings.PhoneLimits limits;

    VerificationCodeRepository(LoginCodes codes, SmsSender sms, MarketRegistry markets, AuthSettings.PhoneLimits limits) {
        this.codes = codes;
        this.sms = sms;
        this.markets = markets;
        this.limits = limits;
    }

    int resendSeconds() {
        return limits.resendSeconds();
    }

    /**
     * Voids the phone's earlier codes, stores a new one and sends it, unless the phone asked too
     * often: then nothing is written and the answer is the seconds to wait (else 0). In a closed
     * market only the phone of an existing customer gets a code.
     */
    long issue(Tx tx, String phone, String clientAddress) {
        String code = codes.newCode();
        DbRow row = tx.get("SELECT wait_seconds, code_market FROM app.issue_login_code(?, ?, ?, ?, ?)",
                codes.hash(phone, code), clientAddress, CODE_MINUTES * 60, limits.resendSeconds(),
                limits.codesPerHour()).orElseThrow();
        long seconds = positive(row, "wait_seconds");
        String routed = Rows.optionalText(row, "code_market");
        if (seconds > 0 || routed == null) {
            // a closed market signs up no one: the same 202 as for a customer, so no account is revealed
            return seconds;
        }
        // the provider is the code's market's (verification_codes.market)
        Market market = markets.require(routed);
        sms.send(tx, market, phone, SmsTexts.loginCode(market, code, CODE_MINUTES));
        return 0;
    }

    /** What a code check found. */
    sealed interface Check {
    }

    record Accepted(UserRepository.UserJson user) implements Check {
    }

    /** Wrong, expired, used, voided or never sent: one answer for all, so nothing is revealed. */
    record Refused() implements Check {
    }

    /** The code took its {@code AUTH_CODE_TRIES} wrong tries; only a new code helps. */
    record Locked(long retryAfterSeconds) implements Check {
    }

    /**
     * Checks {@code code} against the phone's newest code. Every check counts, atomically, in the
     * database: the try is counted only while fewer than {@code AUTH_CODE_TRIES} were made, so
     * parallel guesses cannot pass the limit. The caller must commit also when refused.
     */
    Check verify(Tx tx, String phone, String code) {
        DbRow r = tx.get("SELECT outcome, retry_after, " + UserRepository.COLUMNS
                        + " FROM app.redeem_login_code(?, ?, ?)",
                codes.hash(phone, code), limits.triesPerCode(), limits.resendSeconds()).orElseThrow();
        return switch (Rows.text(r, "outcome")) {
            case "ok" -> new Accepted(UserRepository.of(r));
            case "locked" -> new Locked(Math.max(1, positive(r, "retry_after")));
            default -> new Refused();
        };
    }

    private static long positive(DbRow r, String column) {
        BigDecimal v = Rows.optionalDecimal(r, column);
        return v == null ? 0 : Math.max(0, v.longValue());
    }
}
