package marketbackend.db;

import java.sql.SQLException;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A policy test written as a table: a subclass lists its {@link PolicyCase}s and the tables they
 * cover. Each case runs in KG and in US, and the table must hold an allowed and a denied case for
 * every command a request role is granted on those tables.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class PolicyTable {
    abstract List<PolicyCase> cases();

    abstract List<String> tables();

    /** The transaction each case runs in: by default a request of the server, both markets open. */
    PolicyCase.Request request() {
        return PolicyCase.SERVED;
    }

    /** Whether the table must hold an allowed and a denied case for this command: by default, every grant. */
    boolean covers(String table, String role, String command) {
        return Grants.allows(table, role, command);
    }

    Stream<Arguments> casesInBothMarkets() {
        return cases().stream().flatMap(c -> Stream.of(Arguments.of("KG", c), Arguments.of("US", c)));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("casesInBothMarkets")
    void policy(String market, PolicyCase c) throws SQLException {
        c.run(market, request());
    }

    @Test
    void everyGrantedCommandHasAnAllowedAndADeniedCase() {
        PolicyCase.assertCover(cases(), tables(), this::covers);
    }
}
