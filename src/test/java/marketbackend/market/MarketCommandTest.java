package marketbackend.market;

import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

/** {@code market add|open|close|list}: clear refusals that change nothing, and a record of each change. */
class MarketCommandTest {
    private static ScratchShop shop;

    @BeforeAll
    static void start() throws Exception {
        shop = new ScratchShop();
    }

    @AfterAll
    static void stop() throws Exception {
        if (shop != null) {
            shop.close();
        }
    }

    private static final List<String> KZ = List.of("add", "KZ", "--name", "Kazakhstan", "--currency", "KZT",
            "--timezone", "Asia/Almaty", "--phone-region", "KZ", "--locale", "kk-KZ", "--sms-provider", "mobizon",
            "--payment-gateway", "kaspi", "--delivery-service", "kazpost");

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "CODE|kz|two capital letters",
            "--currency|kzt|ISO 4217",
            "--currency|XYZ|ISO 4217",
            "--timezone|Asia/Nowhere|IANA time zone",
            "--phone-region|XX|region with phone numbers",
            "--locale|not a tag|language tag",
            "--sms-provider|Mobizon Ltd|lower-case name"})
    void badArgumentsExit2AndAddNothing(String option, String value, String message) throws Exception {
        List<String> args = new java.util.ArrayList<>(KZ);
        args.set(option.equals("CODE") ? 1 : args.indexOf(option) + 1, value);
        ScratchShop.Run r = shop.market(args.toArray(String[]::new));
        assertThat(r.status(), is(2));
        assertThat(r.err(), containsString(message));
        assertThat(r.err(), containsString("Usage: market add"));
        assertThat(shop.owner("SELECT code FROM markets WHERE code IN ('KZ', 'kz')").size(), is(0));
    }

    @Test
    void missingOptionsAndUnknownCommandsExit2() {
        assertThat(shop.market("add", "KZ", "--name", "Kazakhstan").err(), containsString("--currency is required"));
        assertThat(shop.market("launch", "KZ").status(), is(2));
        assertThat(shop.market().status(), is(2));
        assertThat(shop.market("open").err(), containsString("CODE is required"));
        assertThat(shop.market("close", "XX").err(), containsString("Unknown market 'XX'"));
        assertThat(shop.market("list", "KZ").status(), is(2));
    }

    @Test
    void addCloseOpenAndListAreRecorded() throws Exception {
        shop.market(KZ.toArray(String[]::new)).ok();
        assertThat(shop.owner("SELECT calling_code || ' ' || is_active FROM markets WHERE code = 'KZ'"),
                contains("7 false"));
        assertThat(shop.owner("SELECT market FROM order_counters WHERE market = 'KZ'"), contains("KZ"));
        // once only, and a region names one market
        assertThat(shop.market(KZ.toArray(String[]::new)).err(), containsString("KZ exists already"));
        List<String> again = new java.util.ArrayList<>(KZ);
        again.set(1, "QZ");
        ScratchShop.Run sameRegion = shop.market(again.toArray(String[]::new));
        assertThat(sameRegion.status(), is(1));
        assertThat(sameRegion.err(), containsString("Phone region KZ is market KZ's already"));

        String list = shop.market("list").ok().out();
        assertThat(list, list.lines().filter(l -> l.matches("KZ +closed +Kazakhstan +KZT +Asia/Almaty +KZ \\+7 +kk-KZ +0 +0 +0"))
                .count(), is(1L));
        assertThat(list, list.lines().filter(l -> l.matches("KG +open .*")).count(), is(1L));

        shop.market("close", "KG").ok();
        assertThat(shop.market("close", "KG").out(), containsString("closed already"));
        // reopening asks for what opening asks for: this shop has no KG manager yet
        assertThat(shop.market("open", "KG").err(), containsString("no manager"));
        shop.grantManager("+996700000201", "--markets", "KG").ok();
        shop.market("open", "KG").ok();
        assertThat(shop.owner("SELECT market || ' ' || action || ' ' || coalesce(after::text, '') FROM audit_log"
                        + " WHERE manager_id IS NULL ORDER BY id").stream().map(s -> s.replaceAll(" \\{.*", "")).toList(),
                contains("KZ add", "KG close", "KG open"));
        assertThat(shop.owner("SELECT after ->> 'currency' FROM audit_log WHERE market = 'KZ' AND action = 'add'"),
                contains("KZT"));
    }
}
