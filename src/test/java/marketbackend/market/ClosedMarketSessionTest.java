package marketbackend.market;

import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import marketbackend.support.Api;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

/**
 * Closing a market keeps its sessions, as it keeps its customers' logins: they refresh, read their
 * own and log out; what they may not do in a closed market (buy) the market's own rules refuse.
 */
class ClosedMarketSessionTest {
    private static final String CUSTOMER = "+16502530002";

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

    @Test
    void sessionsOfAClosedMarketRefreshAndEnd() throws Exception {
        JsonNode login = shop.login(CUSTOMER);
        shop.market("close", "US").ok();

        JsonNode next = refresh(login.get("refresh_token").asText()).expect(200);
        String access = next.get("access_token").asText();
        assertThat(shop.api.get("/api/me", access).expect(200).get("market").asText(), is("US"));
        assertThat(shop.api.get("/api/sessions", access).expect(200).get("total").asLong(), is(1L));
        // the exchanged token is spent as in an open market
        refresh(login.get("refresh_token").asText()).problem(409);

        assertThat(shop.api.post("/api/auth/logout", access, null).status(), is(204));
        shop.api.get("/api/me", access).problem(401);
        refresh(next.get("refresh_token").asText()).problem(401);
    }

    private Api.Res refresh(String token) {
        return shop.api.post("/api/auth/refresh", null, Map.of("refresh_token", token));
    }
}
