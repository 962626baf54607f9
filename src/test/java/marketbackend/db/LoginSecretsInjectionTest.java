package marketbackend.db;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.helidon.webclient.http1.Http1Client;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpRoute;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import marketbackend.Server;
import marketbackend.context.RequestContext;
import marketbackend.support.Api;
import marketbackend.support.Fixtures;
import marketbackend.support.Sql;
import marketbackend.support.TestApp;
import marketbackend.support.TestDatabase;

import static marketbackend.db.Rls.other;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.is;

/**
 * The injection harness on the login path (docs/SECURITY.md, "SQL injected into a request"): SQL
 * injected into {@code POST /api/auth/token}'s transaction, which runs as a guest whose verified
 * context names the phone the client sent (the victim's), as market_app after the server's own
 * context statement, after RESET ROLE and under every request role. Expected: it reads no login
 * code, no attempt counter, no client address and no user row, changes no code, and the login
 * functions act on the context's own phone only, so the per-code try limit holds.
 */
@ServerTest
class LoginSecretsInjectionTest {
    private static final String[] ROLES = {"market_guest", "market_customer", "market_manager", "market_reporter"};
    private static final Pattern CODE = Pattern.compile("(?<![0-9])[0-9]{6}(?![0-9])");
    private static final int TRIES = 5;

    private final Api api;

    LoginSecretsInjectionTest(Http1Client client) {
        this.api = new Api(client);
    }

    @SetUpRoute
    static void routing(HttpRouting.Builder r) {
        Server.routing(r, Server.App.create(TestDatabase.get().config(Map.of("AUTH_IP_CODES_PER_HOUR", "0",
                "AUTH_IP_TOKEN_TRIES_PER_HOUR", "0", "AUTH_PHONE_RESEND_SECONDS", "0",
                "AUTH_PHONE_CODES_PER_HOUR", "1000", "AUTH_CODE_TRIES", Integer.toString(TRIES))), TestApp.get().db()));
    }

    /** Every way in: as the context statement left it, back at market_app, and as each request role. */
    private static List<String> ways() {
        List<String> ways = new ArrayList<>(List.of("as entered", "RESET ROLE"));
        for (String role : ROLES) {
            ways.add(role);
        }
        return ways;
    }

    private static void become(Connection c, String way) throws SQLException {
        switch (way) {
            case "as entered" -> {
            }
            case "RESET ROLE" -> {
                try (var s = c.createStatement()) {
                    s.execute("RESET ROLE");
                }
            }
            default -> Sql.strings(c, "SELECT set_config('role', ?, true)", way);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"KG", "US"})
    void aLoginTransactionReadsAndWritesNoCodeAndNoUser(String market) throws SQLException {
        String victim = customerWithPendingCode(market);
        String before = codes(victim);
        try (Connection c = TestDatabase.get().app()) {
            for (String way : ways()) {
                Sql.begin(c, login(market, victim));
                become(c, way);
                List<String> reached = new ArrayList<>();
                for (String sql : List.of(
                        "SELECT id, code_hash FROM verification_codes WHERE phone = '" + victim + "'",
                        "SELECT client_ip FROM verification_codes",
                        "SELECT attempts, consumed_at FROM verification_codes",
                        "UPDATE verification_codes SET attempts = 0, consumed_at = NULL WHERE phone = '" + victim + "'",
                        "UPDATE verification_codes SET attempts = 0",
                        "DELETE FROM verification_codes WHERE phone = '" + victim + "'",
                        "INSERT INTO verification_codes (phone, code_hash, expires_at) VALUES ('" + victim
                                + "', 'h', now() + interval '1 hour') RETURNING id",
                        "SELECT id, name FROM users WHERE phone = '" + victim + "'")) {
                    if (rows(c, sql) != null) {
                        reached.add(sql);
                    }
                }
                c.commit();
                assertThat(market + " " + way + ": statements that read or wrote", reached, empty());
            }
        }
        assertThat(codes(victim), is(before));
    }

    /** After five wrong tries and every attack on the counter, the right code is refused too. */
    @ParameterizedTest
    @ValueSource(strings = {"KG", "US"})
    void theTryLimitHoldsAfterTheAttack(String market) throws SQLException {
        String victim = customerWithPendingCode(market);
        String code = lastCode(victim);
        String wrong = code.equals("000000") ? "000001" : "000000";
        for (int i = 0; i < TRIES; i++) {
            token(victim, wrong).problem(401);
        }
        try (Connection c = TestDatabase.get().app()) {
            Sql.begin(c, login(market, victim));
            for (String way : ways()) {
                Savepoint sp = c.setSavepoint();
                become(c, way);
                rows(c, "UPDATE verification_codes SET attempts = 0, consumed_at = NULL WHERE phone = '" + victim + "'");
                rows(c, "DELETE FROM verification_codes WHERE phone = '" + victim + "'");
                // the definer function with a limit of its choosing: only counts more tries
                for (int i = 0; i < 3; i++) {
                    rows(c, "SELECT * FROM app.redeem_login_code('" + "0".repeat(64) + "', 1000000, 0)");
                }
                rows(c, "SELECT * FROM app.redeem_login_code('" + "0".repeat(64) + "', 0, 0)");
                c.releaseSavepoint(sp);
            }
            c.commit();
        }
        token(victim, code).problem(429);
        try (Connection owner = TestDatabase.get().owner()) {
            assertThat(Sql.count(owner, "SELECT count(*) FROM verification_codes "
                    + "WHERE phone = ? AND consumed_at IS NULL AND attempts >= ?", victim, TRIES), is(1L));
        }
    }

    /**
     * The login functions take no phone: called from another phone's login, from the victim's phone
     * in the other market, from a guest without a phone, or by any other role, they change no row of
     * the victim's, and only a guest may call them at all.
     */
    @ParameterizedTest
    @ValueSource(strings = {"KG", "US"})
    void theLoginFunctionsActOnTheContextPhoneOnly(String market) throws SQLException {
        String victim = customerWithPendingCode(market);
        String before = codes(victim);
        String users = users(victim);
        String hash = "0".repeat(64);
        List<RequestContext> callers = List.of(login(market, Fixtures.phone(market)), login(other(market), victim),
                RequestContext.guest(market, "attack-" + UUID.randomUUID()));
        try (Connection c = TestDatabase.get().app()) {
            for (RequestContext caller : callers) {
                for (String way : ways()) {
                    Sql.begin(c, caller);
                    become(c, way);
                    rows(c, "SELECT * FROM app.issue_login_code('" + hash + "', '198.51.100.7', 31536000, 0, 1000000)");
                    for (int i = 0; i < 3; i++) {
                        rows(c, "SELECT * FROM app.redeem_login_code('" + hash + "', 1000000, 0)");
                    }
                    c.commit();
                }
            }
            for (String way : ways()) {
                if (way.equals("as entered") || way.equals("market_guest")) {
                    continue;
                }
                Sql.begin(c, login(market, victim));
                become(c, way);
                assertThat(way, Rls.state(c, "SELECT * FROM app.redeem_login_code(?, 5, 0)", hash), is("42501"));
                assertThat(way, Rls.state(c, "SELECT * FROM app.issue_login_code(?, NULL, 600, 0, 5)", hash), is("42501"));
                c.rollback();
            }
        }
        assertThat(codes(victim), is(before));
        assertThat(users(victim), is(users));
    }

    // ------------------------------------------------------------------ the harness

    /** The context of POST /api/auth/token for this phone, built as the server builds it. */
    private static RequestContext login(String market, String phone) {
        return RequestContext.guest(market, "attack-" + UUID.randomUUID()).loggingIn(market, phone);
    }

    /** A customer (logged in once) of a new phone, with a new code waiting. */
    private String customerWithPendingCode(String market) throws SQLException {
        String phone = Fixtures.phone(market);
        api.post("/api/auth/code", null, Map.of("phone", phone)).expect(202);
        token(phone, lastCode(phone)).expect(200);
        api.post("/api/auth/code", null, Map.of("phone", phone)).expect(202);
        return phone;
    }

    private Api.Res token(String phone, String code) {
        return api.post("/api/auth/token", null, Map.of("phone", phone, "code", code));
    }

    /** Rows read or written, or null if refused; behind a savepoint so the transaction goes on. */
    private static Long rows(Connection c, String sql) throws SQLException {
        Savepoint sp = c.setSavepoint();
        try (var s = c.createStatement()) {
            long n = 0;
            if (s.execute(sql)) {
                try (var rs = s.getResultSet()) {
                    while (rs.next()) {
                        n++;
                    }
                }
            } else {
                n = s.getLargeUpdateCount();
            }
            c.releaseSavepoint(sp);
            return n == 0 ? null : n;
        } catch (SQLException e) {
            c.rollback(sp);
            return null;
        }
    }

    private static String lastCode(String phone) throws SQLException {
        try (Connection c = TestDatabase.get().owner()) {
            String body = Sql.strings(c, "SELECT body FROM sms_outbox WHERE phone = ? ORDER BY id DESC LIMIT 1", phone)
                    .getFirst();
            Matcher m = CODE.matcher(body);
            assertThat(body, m.find(), is(true));
            return m.group();
        }
    }

    /** The phone's codes, every column, as the owner sees them. */
    private static String codes(String phone) throws SQLException {
        try (Connection c = TestDatabase.get().owner()) {
            return String.join("\n", Sql.strings(c, "SELECT v::text FROM verification_codes v WHERE phone = ? ORDER BY id", phone));
        }
    }

    private static String users(String phone) throws SQLException {
        try (Connection c = TestDatabase.get().owner()) {
            return String.join("\n", Sql.strings(c, "SELECT u::text FROM users u WHERE phone = ?", phone));
        }
    }
}
