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
 * {@code sms_outbox} ({@code SMS_MODE=outbox}), so a developer can log in without an SMS provider.
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
        try (Connection c = Jdbc.asOwner(cfg)) {
            body = Jdbc.string(c, "SELECT body FROM sms_outbox WHERE phone = ? ORDER BY id DESC LIMIT 1", phone);
        }
        Matcher m = body == null ? null : CODE.matcher(body);
        if (m == null || !m.find()) {
            err.println("sms-outbox: no login code queued for " + phone + " (SMS_MODE=outbox only)");
            return 1;
        }
        out.println(m.group(1));
        return 0;
    }
}
