package marketbackend.customer;

import com.fasterxml.jackson.databind.JsonNode;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

/** Another customer's row must answer exactly like a missing one: no existence oracle. */
public final class Bola {
    private Bola() {
    }

    public static void sameAs(JsonNode missing, JsonNode hidden) {
        assertThat(hidden.get("status").asInt(), is(missing.get("status").asInt()));
        assertThat(hidden.get("title").asText(), is(missing.get("title").asText()));
        assertThat(hidden.get("detail").asText(), is(missing.get("detail").asText()));
    }
}
