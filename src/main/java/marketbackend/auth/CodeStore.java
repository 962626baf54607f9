package marketbackend.auth;

import java.math.BigDecimal;
import java.util.Optional;

import io.helidon.dbclient.DbRow;

import marketbackend.customer.Users;
import marketbackend.db.Rows;
import marketbackend.db.Tx;
import marketbackend.market.Market;
import marketbackend.market.MarketRegistry;
import marketbackend.sms.SmsSender;
import marketbackend.sms.SmsTexts;

/**
 * Login codes in {@code verification_codes}. Runs in a login transaction (role market_guest, the
 * phone in its context: app.current_phone()): the policies show it the codes of that one phone
 * only, so no query here needs to say which phone for isolation. Times are the database's ({@code now()}).
 */
final class CodeStore {
    static final int CODE_MINUTES = 10;
    /** Namespace of the advisory locks that serialize code requests per phone. */
    private static final int PHONE_LOCK = 0x0de5;

    private final LoginCodes codes;
    private final SmsSender sms;
    private final MarketRegistry markets;
    private final AuthSettings.PhoneLimits limits;

    CodeStore(LoginCodes codes, SmsSender sms, MarketRegistry markets, AuthSettings.PhoneLimits limits) {
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
    long issue(Tx tx, String market, String phone, String clientAddress) {
        // parallel requests for one phone queue here, so the limits below cannot be raced
        tx.get("SELECT pg_advisory_xact_lock(?, ?) IS NULL AS locked", PHONE_LOCK, phone.hashCode());
        DbRow wait = tx.get("""
                SELECT (SELECT ceil(extract(epoch FROM c.created_at + interval '%d seconds' - now()))
                        FROM verification_codes c WHERE c.phone = ?
                        ORDER BY c.created_at DESC LIMIT 1) AS resend_wait,
                       (SELECT ceil(extract(epoch FROM c.created_at + interval '1 hour' - now()))
                        FROM verification_codes c WHERE c.phone = ?
                        ORDER BY c.created_at DESC OFFSET %d LIMIT 1) AS hourly_wait"""
                .formatted(limits.resendSeconds(), limits.codesPerHour() - 1), phone, phone).orElseThrow();
        long seconds = Math.max(positive(wait, "resend_wait"), positive(wait, "hourly_wait"));
        if (seconds > 0) {
            return seconds;
        }
        if (!markets.require(market).open() && !Users.exists(tx, phone)) {
            // a closed market signs up no one; the same 202 as for a customer, so no account is revealed
            return 0;
        }
        tx.dml("UPDATE verification_codes SET consumed_at = now() WHERE phone = ? AND consumed_at IS NULL", phone);
        String code = codes.newCode();
        // the market column is the database's (trigger, from the calling code); the policy checks it is ours
        DbRow row = tx.get("""
                INSERT INTO verification_codes (market, phone, code_hash, expires_at, client_ip)
                VALUES (CAST(? AS text), ?, ?, now() + interval '%d minutes', ?)
                RETURNING id, market""".formatted(CODE_MINUTES),
                market, phone, codes.hash(phone, code), clientAddress).orElseThrow();
        // the provider is the code's market's (verification_codes.market)
        Market routed = markets.require(Rows.text(row, "market"));
        sms.send(tx, routed, phone, SmsTexts.loginCode(routed, code, CODE_MINUTES));
        return 0;
    }

    /** What a code check found. */
    sealed interface Check {
    }

    record Accepted(Users.UserJson user) implements Check {
    }

    /** Wrong, expired, used, voided or never sent: one answer for all, so nothing is revealed. */
    record Refused() implements Check {
    }

    /** The code took its {@code AUTH_CODE_TRIES} wrong tries; only a new code helps. */
    record Locked(long retryAfterSeconds) implements Check {
    }

    /**
     * Checks {@code code} against the phone's newest code. Every check counts, atomically: one
     * UPDATE increments the attempts only while fewer than {@code AUTH_CODE_TRIES} were made, so
     * parallel guesses cannot pass the limit. The caller must commit also when refused.
     */
    Check verify(Tx tx, String market, String phone, String code) {
        Optional<DbRow> attempt = tx.get("""
                UPDATE verification_codes v SET attempts = v.attempts + 1
                WHERE v.id = (SELECT c.id FROM verification_codes c WHERE c.phone = ?
                              ORDER BY c.created_at DESC, c.id DESC LIMIT 1)
                  AND v.consumed_at IS NULL AND v.expires_at > now() AND v.attempts < ?
                RETURNING v.id, v.code_hash""", phone, limits.triesPerCode());
        if (attempt.isEmpty()) {
            return tx.get("""
                    SELECT ceil(extract(epoch FROM created_at + interval '%d seconds' - now())) AS wait
                    FROM verification_codes
                    WHERE phone = ? AND consumed_at IS NULL AND expires_at > now() AND attempts >= ?
                      AND id = (SELECT c.id FROM verification_codes c WHERE c.phone = ?
                                ORDER BY c.created_at DESC, c.id DESC LIMIT 1)"""
                            .formatted(limits.resendSeconds()), phone, limits.triesPerCode(), phone)
                    .<Check>map(r -> new Locked(Math.max(1, positive(r, "wait"))))
                    .orElse(new Refused());
        }
        DbRow row = attempt.get();
        if (!codes.matches(phone, code, Rows.text(row, "code_hash"))) {
            return new Refused();
        }
        // this transaction holds the row lock since the UPDATE above: nobody else can use the code now
        tx.dml("UPDATE verification_codes SET consumed_at = now() WHERE id = ?", Rows.number(row, "id"));
        return new Accepted(Users.findOrCreate(tx, market, phone));
    }

    private static long positive(DbRow r, String column) {
        BigDecimal v = Rows.optionalDecimal(r, column);
        return v == null ? 0 : Math.max(0, v.longValue());
    }
}
