package marketbackend.sms;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import marketbackend.support.TestDatabase;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

/** sms-outbox prints a code only while it can still log in, in KG and US: a used or expired one is one line and exit 1. */
class OutboxCommandTest {

    @ParameterizedTest
    @CsvSource({"KG, +996700900111", "US, +12025550911"})
    void printsOnlyACodeThatCanStillLogIn(String market, String phone) throws Exception {
        queue(market, phone, "111111", "now() + interval '5 minutes'", false);
        assertThat(run(phone), is("0|111111\n|"));
        queue(market, phone, "222222", "now() + interval '5 minutes'", true);
        String used = run(phone);
        assertThat(used, containsString("1||sms-outbox: the newest code for " + phone + " was already used"));
        queue(market, phone, "333333", "now() - interval '1 second'", false);
        assertThat(run(phone), containsString("1||sms-outbox: the newest code for " + phone + " has expired"));
        queue(market, phone, "444444", "now() + interval '5 minutes'", false);
        assertThat(run(phone), is("0|444444\n|"));
    }

    /** An SMS and its code as the login would leave them (written as the superuser: the table forces RLS). */
    private static void queue(String market, String phone, String code, String expires, boolean consumed) throws Exception {
        try (Connection c = TestDatabase.get().superuser();
             PreparedStatement sms = c.prepareStatement("INSERT INTO sms_outbox (market, phone, provider, body) VALUES (?, ?, 'test', ?)");
             PreparedStatement v = c.prepareStatement("INSERT INTO verification_codes (market, phone, code_hash, expires_at, consumed_at)"
                     + " VALUES (?, ?, 'hash', " + expires + ", " + (consumed ? "now()" : "NULL") + ")")) {
            sms.setString(1, market);
            sms.setString(2, phone);
            sms.setString(3, "Your login code " + code);
            sms.executeUpdate();
            v.setString(1, market);
            v.setString(2, phone);
            v.executeUpdate();
        }
    }

    /** "exit|stdout|stderr" */
    private static String run(String phone) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = OutboxCommand.run(TestDatabase.get().config(), List.of(phone), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return exit + "|" + out.toString(StandardCharsets.UTF_8) + "|" + err.toString(StandardCharsets.UTF_8);
    }
}
