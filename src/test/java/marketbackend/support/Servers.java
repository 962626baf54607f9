package marketbackend.support;

import java.util.Map;

import io.helidon.webclient.http1.Http1Client;
import io.helidon.webserver.WebServer;

import marketbackend.Server;

/** A listening server built like production ({@link Server#configure}) on the test database, with changed settings. */
public final class Servers {
    private Servers() {
    }

    /** Started on a free loopback port with the test configuration; the caller stops it. */
    public static WebServer start() {
        return start(Map.of());
    }

    /**
     * The same with some environment variables changed.
     *
     * @param changes environment variables that differ from the test configuration's
     */
    public static WebServer start(Map<String, String> changes) {
        Server.App app = Server.App.create(TestDatabase.get().config(changes), TestApp.get().db());
        return Server.configure(WebServer.builder(), app).host("127.0.0.1").port(0).build().start();
    }

    public static Api client(WebServer server) {
        return new Api(Http1Client.builder().baseUri("http://127.0.0.1:" + server.port()).build());
    }
}
