package marketbackend.db;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import marketbackend.support.Fixtures;
import marketbackend.support.Sql;
import marketbackend.support.TestDatabase;

import static marketbackend.db.Rls.as;
import static marketbackend.db.Rls.assertFails;
import static marketbackend.db.Rls.customer;
import static marketbackend.db.Rls.guest;
import static marketbackend.db.Rls.manager;
import static marketbackend.db.Rls.other;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The database, not the caller, decides a row's market and what follows from it: orders (market,
 * currency, number), addresses (delivery service), payment methods (gateway), notifications
 * (locale), users and login codes (market of the phone), order items (market of the order).
 * Values sent by the caller for these columns are overwritten.
 */
class MarketTriggerTest {
    private static final Map<String, String> CURRENCY = Map.of("KG", "KGS", "US", "USD");
    private static final Map<String, String> DELIVERY = Map.of("KG", "kyrgyzpost", "US", "usps");
    private static final Map<String, String> GATEWAY = Map.of("KG", "mbank", "US", "stripe");
    private static final Map<String, String> LOCALE = Map.of("KG", "ru-KG", "US", "en-US");

    private final World w = World.get();

    @ParameterizedTest
    @ValueSource(strings = {"KG", "US"})
    void anOrderTakesMarketCurrencyAndNumberFromTheDatabase(String market) throws SQLException {
        var s = w.side(market);
        String place = "INSERT INTO orders (user_id, market, currency, order_number, total_amount, address_id, "
                + "payment_method_id) VALUES (?, ?, ?, 'HACK-1', 5.00, ?, ?) RETURNING market, currency, order_number";
        as(customer(market, s.customerA), c -> {
            List<String> first = Rls.row(c, place, s.customerA, other(market), CURRENCY.get(other(market)), s.addressA, s.paymentA);
            List<String> second = Rls.row(c, place, s.customerA, other(market), CURRENCY.get(other(market)), s.addressA, s.paymentA);
            assertEquals(market, first.get(0));
            assertEquals(CURRENCY.get(market), first.get(1));
            assertTrue(first.get(2).matches(market + "-\\d{6}"), first.get(2));
            long n = number(first.get(2));
            assertEquals(market + "-" + String.format("%06d", n + 1), second.get(2), "the market's counter, one by one");
            assertEquals(n + 1, Sql.count(c, "SELECT last_number FROM order_counters WHERE market = ?", market));
        });
    }

    @Test
    void eachMarketCountsItsOwnOrderNumbers() throws SQLException {
        var kg = w.side("KG");
        var us = w.side("US");
        try (Connection c = TestDatabase.get().owner()) {
            c.setAutoCommit(false);
            try {
                String place = "INSERT INTO orders (user_id, total_amount) VALUES (?, 1.00) RETURNING order_number";
                String kg1 = Sql.strings(c, place, kg.customerA).getFirst();
                String us1 = Sql.strings(c, place, us.customerA).getFirst();
                String kg2 = Sql.strings(c, place, kg.customerB).getFirst();
                assertTrue(kg1.startsWith("KG-") && us1.startsWith("US-"), kg1 + " " + us1);
                assertEquals(number(kg1) + 1, number(kg2), "a US order does not advance the KG counter");
                assertEquals(number(kg2), Sql.count(c, "SELECT last_number FROM order_counters WHERE market = 'KG'"));
                assertEquals(number(us1), Sql.count(c, "SELECT last_number FROM order_counters WHERE market = 'US'"));
            } finally {
                c.rollback();
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"KG", "US"})
    void anAddressTakesTheUsersMarketAndThatMarketsDeliveryService(String market) throws SQLException {
        var s = w.side(market);
        as(customer(market, s.customerA), c -> assertEquals(List.of(market, DELIVERY.get(market)), Rls.row(c,
                "INSERT INTO addresses (user_id, market, delivery_service, line1, city, region, postal_code) "
                        + "VALUES (?, ?, 'fedex', 'l', 'c', 'r', '1') RETURNING market, delivery_service", s.customerA, other(market))));
    }

    @ParameterizedTest
    @ValueSource(strings = {"KG", "US"})
    void aPaymentMethodTakesTheUsersMarketAndThatMarketsGateway(String market) throws SQLException {
        var s = w.side(market);
        as(customer(market, s.customerA), c -> assertEquals(List.of(market, GATEWAY.get(market)), Rls.row(c,
                "INSERT INTO payment_methods (user_id, market, gateway, token, brand, last4, exp_month, exp_year) "
                        + "VALUES (?, ?, 'paypal', 't', 'visa', '4242', 1, 2030) RETURNING market, gateway", s.customerA, other(market))));
    }

    @ParameterizedTest
    @ValueSource(strings = {"KG", "US"})
    void aNotificationTakesTheUsersMarketAndThatMarketsLocale(String market) throws SQLException {
        var s = w.side(market);
        String insert = "INSERT INTO notifications (user_id, market, locale, title, body) VALUES (?, ?, 'fr-FR', 't', 'b') "
                + "RETURNING market, locale";
        as(customer(market, s.customerA), c ->
                assertEquals(List.of(market, LOCALE.get(market)), Rls.row(c, insert, s.customerA, other(market))));
        as(manager(market, s.manager), c ->
                assertEquals(List.of(market, LOCALE.get(market)), Rls.row(c, insert, s.customerB, other(market))));
    }

    @ParameterizedTest
    @ValueSource(strings = {"KG", "US"})
    void anOrderItemTakesTheMarketOfItsOrder(String market) throws SQLException {
        var s = w.side(market);
        as(customer(market, s.customerA), c -> {
            long order = Sql.insertId(c, "INSERT INTO orders (user_id, total_amount, address_id, payment_method_id) "
                    + "VALUES (?, 1.00, ?, ?) RETURNING id", s.customerA, s.addressA, s.paymentA);
            assertEquals(market, Sql.strings(c,
                    "INSERT INTO order_items (order_id, product_id, market, product_name, quantity, unit_price, line_total) "
                            + "VALUES (?, ?, ?, 'x', 1, 1.00, 1.00) RETURNING market", order, s.productActive, other(market))
                    .getFirst());
        });
    }

    /**
     * The login context's market, whatever market the caller sends; a context whose market's calling
     * code the phone lacks, or a phone of no market, is refused.
     */
    @ParameterizedTest
    @ValueSource(strings = {"KG", "US"})
    void aLoginCodeTakesTheMarketOfItsPhone(String market) throws SQLException {
        String phone = w.side(market).phoneB;
        assertTrue(phone.startsWith(market.equals("KG") ? "+996" : "+1"), phone);
        String issue = "SELECT code_market FROM app.issue_login_code('h', NULL, 600, 0, 1000)";
        as(guest(market, phone), c -> assertEquals(market, Sql.strings(c, issue).getFirst()));
        // a code for this market's phone, vouched for in the other market, does not fit its calling code
        as(guest(other(market), phone), c -> assertFails("23514", c, issue));
        as(guest(market, "+447700900123"), c -> assertFails("23514", c, issue));
    }

    /** The outbox routes by the phone's market: a caller cannot send a KG phone's SMS through US. */
    @ParameterizedTest
    @ValueSource(strings = {"KG", "US"})
    void anSmsTakesTheMarketOfItsPhone(String market) throws SQLException {
        String phone = w.side(market).phoneB;
        String body = Fixtures.unique("sms");
        String insert = "INSERT INTO sms_outbox (market, phone, provider, body) VALUES (?, ?, 'p', ?)";
        as(guest(other(market), phone), c -> assertFails("23514", c, insert, other(market), phone, body));
        // the guest cannot read the outbox back: commit, then look as the owner
        try (Connection c = TestDatabase.get().app()) {
            Rls.begin(c, guest(market, phone));
            assertEquals(1, Sql.update(c, insert, market, phone, body));
            c.commit();
        }
        try (Connection c = TestDatabase.get().owner()) {
            assertEquals(List.of(market), Sql.strings(c, "SELECT market FROM sms_outbox WHERE body = ?", body));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"KG", "US"})
    void aUserTakesTheMarketOfTheirPhone(String market) throws SQLException {
        String phone = World.freshPhone(market);
        try (Connection c = TestDatabase.get().owner()) {
            c.setAutoCommit(false);
            try {
                assertEquals(market, Sql.strings(c, "INSERT INTO users (market, phone) VALUES (?, ?) RETURNING market",
                        other(market), phone).getFirst());
                assertFails("23514", c, "INSERT INTO users (market, phone) VALUES (?, '+447700900123')", market);
            } finally {
                c.rollback();
            }
        }
    }

    private static long number(String orderNumber) {
        return Long.parseLong(orderNumber.substring(orderNumber.indexOf('-') + 1));
    }
}
