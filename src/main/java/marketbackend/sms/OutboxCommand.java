package marketbackend.sms;

import java.io.PrintStream;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import marketbackend.AppConfig;
import marketbackend.db.Jdbc;

/**
 * {@code sms-outbox PHONE}: prints the login code of the newest SMS queued for PHONE in
 * {@code sms_outbox} ({@code SMS_MODE=outbox}), so a developer can log in without an SMS provider, and
 * only while that code still logs in: a used or expired one would leave a script's token silently empty.
 * Reads as the owner, like every maintenance command.
 */
public final class OutboxCommand {
    private static final Pattern CODE = Pattern.compile("\\b(\\d{6})\\b");

    private OutboxCommand() {
    }

    public static int run(AppConfig cfg, List<String> args, PrintStream out, PrintStream err) throws SQLException {
        if (args.size() != 1) {
            err.println("Usage: sms-outbox PHONE   (e.g. sms-outbox +996700123456)");
            return 2;
        }
        String phone = args.getFirst().replaceAll("[\\s()-]", "");
        String body;
        String spent;
        try (Connection c = Jdbc.asOwner(cfg)) {
            body = Jdbc.string(c, "SELECT body FROM sms_outbox WHERE phone = ? ORDER BY id DESC LIMIT 1", phone);
            spent = Jdbc.string(c, """
                    SELECT CASE WHEN consumed_at IS NOT NULL THEN 'was already used'
                                WHEN expires_at <= now() THEN 'has expired' END
                    FROM verification_codes WHERE phone = ? ORDER BY id DESC LIMIT 1""", phone);
        }
        Matcher m = body == null ? null : CODE.matcher(body);
        if (m == null || !m.find()) {
            err.println("sms-outbox: no login code queued for " + phone + " (SMS_MODE=outbox only)");
            return 1;
        }
        if (spent != null) {
            err.println("sms-outbox: the newest code for " + phone + " " + spent + ": ask for a new one (POST /api/auth/code;"
                    + " a phone gets one per AUTH_PHONE_RESEND_SECONDS, 60 s by default)");
            return 1;
        }
        out.println(m.group(1));
        return 0;
    }
}
