package marketbackend.auth;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import marketbackend.Server;
import marketbackend.support.Api;
import marketbackend.support.Sql;
import marketbackend.support.TestApp;
import marketbackend.support.TestDatabase;

/** Helpers for login tests: apps with their own limits, codes read from the SMS outbox. */
public final class Login {
    private static final Pattern CODE = Pattern.compile("(?<![0-9])[0-9]{6}(?![0-9])");

    private Login() {
    }

    /** No limits per client address (0 = none). */
    static final Map<String, String> NO_ADDRESS_LIMITS = Map.of("AUTH_IP_CODES_PER_HOUR", "0",
            "AUTH_IP_TOKEN_TRIES_PER_HOUR", "0");

    /** The test app with some environment variables changed, sharing the test pool. */
    static Server.App app(Map<String, String> changes) {
        return Server.App.create(TestDatabase.get().config(changes), TestApp.get().db());
    }

    /** An app whose address limits do not get in the way of tests that log in a lot. */
    static Server.App generous() {
        return app(NO_ADDRESS_LIMITS);
    }

    /** The code in the newest outbox message to {@code phone}. */
    public static String lastCode(String phone) {
        List<String> bodies = outbox(phone);
        if (bodies.isEmpty()) {
            throw new AssertionError("no SMS to " + phone);
        }
        Matcher m = CODE.matcher(bodies.getFirst());
        if (!m.find()) {
            throw new AssertionError("no code in the SMS to " + phone);
        }
        return m.group();
    }

    /** Outbox bodies for {@code phone}, newest first. */
    static List<String> outbox(String phone) {
        try (Connection c = TestDatabase.get().owner()) {
            return Sql.strings(c, "SELECT body FROM sms_outbox WHERE phone = ? ORDER BY id DESC", phone);
        } catch (SQLException e) {
            throw new AssertionError(e);
        }
    }

    static int owner(String sql, Object... params) {
        try (Connection c = TestDatabase.get().owner()) {
            return Sql.update(c, sql, params);
        } catch (SQLException e) {
            throw new AssertionError(e);
        }
    }

    static long count(String sql, Object... params) {
        try (Connection c = TestDatabase.get().owner()) {
            return Sql.count(c, sql, params);
        } catch (SQLException e) {
            throw new AssertionError(e);
        }
    }

    static Api.Res requestCode(Api api, String phone) {
        return api.post("/api/auth/code", null, Map.of("phone", phone));
    }

    static Api.Res token(Api api, String phone, String code) {
        return api.post("/api/auth/token", null, Map.of("phone", phone, "code", code));
    }

    /** A code different from {@code code}. */
    static String other(String code) {
        return String.format("%06d", (Integer.parseInt(code) + 1) % 1_000_000);
    }
}
