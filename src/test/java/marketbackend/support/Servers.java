package marketbackend.support;

import java.util.function.UnaryOperator;

import io.helidon.webclient.http1.Http1Client;
import io.helidon.webserver.WebServer;

import marketbackend.AppConfig;
import marketbackend.Server;

/** A listening server built like production ({@link Server#configure}) on the test database, with changed settings. */
public final class Servers {
    private Servers() {
    }

    /** Started on a free loopback port; the caller stops it. */
    public static WebServer start(UnaryOperator<AppConfig> change) {
        Server.App shared = TestApp.get();
        Server.App app = Server.App.create(change.apply(shared.config()), shared.db());
        return Server.configure(WebServer.builder(), app).host("127.0.0.1").port(0).build().start();
    }

    public static Api client(WebServer server) {
        return new Api(Http1Client.builder().baseUri("http://127.0.0.1:" + server.port()).build());
    }
}
