package marketbackend.reliability;

import io.helidon.webserver.WebServer;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpServer;

import org.junit.jupiter.api.Test;

import marketbackend.Server;
import marketbackend.support.TestApp;

/** The {@link Soak}: concurrent clients of both markets against one server stay isolated. */
@ServerTest
class IsolationSoakTest {
    private final int port;

    IsolationSoakTest(WebServer server) {
        this.port = server.port();
    }

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        Server.configure(server, TestApp.get());
    }

    @Test
    void concurrentClientsOfBothMarketsStayIsolated() throws Exception {
        new Soak(new HttpJson(port)).run();
    }
}
