package marketbackend.manager;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

import io.helidon.webclient.http1.Http1Client;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import marketbackend.support.Fixtures;
import marketbackend.support.TestDatabase;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

/** {@code grant-manager PHONE --markets KG[,US] [--role admin]}, run against the test database as the owner. */
class GrantManagerTest extends ManagerFixture {
    GrantManagerTest(Http1Client client) {
        super(client);
    }

    record Run(int status, String out, String err) {
    }

    private static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = GrantManager.run(TestDatabase.get().config(), Arrays.asList(args),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** The phone with spaces, as a person would type it. */
    private static String spaced(String e164) {
        return e164.startsWith("+996") ? "+996 " + e164.substring(4, 7) + " " + e164.substring(7)
                : "+1 " + e164.substring(2, 5) + " " + e164.substring(5);
    }

    @ParameterizedTest
    @ValueSource(strings = {"KG", "US"})
    void createsThenUpdatesAManager(String market) throws Exception {
        String phone = Fixtures.phone(market);
        Run created = run(spaced(phone), "--markets", "KG,US", "--role", "admin");
        assertThat(created.err(), created.status(), is(0));
        assertThat(created.out(), containsString("created user"));
        assertThat(ManagerApi.ownerStrings("SELECT market FROM users WHERE phone = ?", phone), contains(market));
        long id = Long.parseLong(ManagerApi.ownerStrings("SELECT id::text FROM users WHERE phone = ?", phone).getFirst());
        assertThat(ManagerApi.ownerStrings("SELECT role FROM store_managers WHERE user_id = ?", id), contains("admin"));
        assertThat(markets(id), contains("KG", "US"));

        // the new manager can use the API at once, in both markets
        String token = ManagerApi.token(id, market);
        assertThat(api.get(token, "KG", "/api/manager/me").status(), is(200));
        assertThat(api.get(token, "US", "/api/manager/me").status(), is(200));

        // the list is replaced; without --role the role is kept
        Run narrowed = run(phone, "--markets", market);
        assertThat(narrowed.err(), narrowed.status(), is(0));
        assertThat(narrowed.out(), containsString("before: KG, US"));
        assertThat(markets(id), contains(market));
        assertThat(ManagerApi.ownerStrings("SELECT role FROM store_managers WHERE user_id = ?", id), contains("admin"));
        assertThat(ManagerApi.ownerCount("SELECT count(*) FROM users WHERE phone = ?", phone), is(1L));
        String other = other(market);
        // a market taken away ends the manager's sessions; after a new login the other market is refused
        assertThat(api.get(token, market, "/api/manager/me").status(), is(401));
        String again = ManagerApi.token(id, market);
        assertThat(api.get(again, other, "/api/manager/me").detail(), is("No access to " + other + " market"));
        assertThat(api.get(again, market, "/api/manager/me").status(), is(200));

        assertThat(run(phone, "--markets", other, "--role", "manager").status(), is(0));
        assertThat(ManagerApi.ownerStrings("SELECT role FROM store_managers WHERE user_id = ?", id), contains("manager"));
        assertThat(markets(id), contains(other));
    }

    @Test
    void existingCustomersBecomeManagers() throws Exception {
        long user = Fixtures.user("KG");
        String phone = ManagerApi.ownerStrings("SELECT phone FROM users WHERE id = ?", user).getFirst();
        Run r = run(phone, "--markets", "KG");
        assertThat(r.err(), r.status(), is(0));
        assertThat(r.out(), containsString("found user " + user));
        assertThat(ManagerApi.ownerStrings("SELECT role FROM store_managers WHERE user_id = ?", user), contains("manager"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"KG,XX|Unknown market 'XX'", "kg|Unknown market 'kg'", "ALL|Unknown market 'ALL'",
            "KG,|Unknown market ''"})
    void unknownMarketsExit2AndChangeNothing(String caseText) throws Exception {
        String[] c = caseText.split("\\|");
        String phone = Fixtures.phone("KG");
        Run r = run(phone, "--markets", c[0]);
        assertThat(r.status(), is(2));
        assertThat(r.err(), containsString(c[1]));
        assertThat(r.err(), containsString("markets are KG, US"));
        assertThat(ManagerApi.ownerCount("SELECT count(*) FROM users WHERE phone = ?", phone), is(0L));
    }

    @ParameterizedTest
    @ValueSource(strings = {"996700123456|international format", "+99612|not a valid number", "hello|international format",
            "+14165550123|region CA", "+447911123456|which is no market's"})
    void badPhonesExit2(String caseText) {
        String[] c = caseText.split("\\|");
        Run r = run(c[0], "--markets", "KG");
        assertThat(r.status(), is(2));
        assertThat(r.err(), containsString(c[1]));
    }

    @Test
    void badArgumentsExit2() {
        String phone = Fixtures.phone("US");
        for (List<String> args : List.of(List.of(phone), List.of("--markets", "KG"), List.of(phone, "--markets"),
                List.of(phone, "--markets", "US", "--role", "owner"), List.of(phone, phone, "--markets", "US"),
                List.of(phone, "--markets", "US", "--force"))) {
            Run r = run(args.toArray(String[]::new));
            assertThat(args.toString(), r.status(), is(2));
            assertThat(r.err(), containsString("Usage: grant-manager"));
        }
    }

    private static List<String> markets(long id) throws Exception {
        return ManagerApi.ownerStrings("SELECT market FROM store_manager_markets WHERE user_id = ? ORDER BY market", id);
    }

}
