package marketbackend.market;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.helidon.webclient.http1.Http1Client;
import io.helidon.webserver.WebServer;

import marketbackend.Server;
import marketbackend.auth.Sessions;
import marketbackend.auth.Tokens;
import marketbackend.db.CatalogReads;
import marketbackend.db.Databases;
import marketbackend.db.Db;
import marketbackend.manager.GrantManager;
import marketbackend.support.Api;
import marketbackend.support.ScratchDatabase;
import marketbackend.support.Sql;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

/**
 * A shop of its own for tests that add, open and close markets: a scratch database, a server on
 * 127.0.0.1 configured like production whose market cache keeps nothing (so a change shows at the
 * next request), and the owner's commands. Nothing reaches the run's shared database.
 */
final class ScratchShop implements AutoCloseable {
    private static final Pattern CODE = Pattern.compile("(?<![0-9])[0-9]{6}(?![0-9])");

    final ScratchDatabase database;
    final Server.App app;
    final Api api;
    /** A second server on the same database whose market list is kept an hour: one that has not noticed a change yet. */
    final Api lagging;
    private final Db db;
    private final WebServer server;
    private final WebServer laggingServer;

    ScratchShop() throws SQLException {
        database = new ScratchDatabase();
        var cfg = database.config(Map.of("AUTH_IP_CODES_PER_HOUR", "0", "AUTH_IP_TOKEN_TRIES_PER_HOUR", "0"));
        db = Databases.requestPool(cfg);
        Tokens tokens = new Tokens(cfg.jwtSecretBytes(), cfg.jwtTtl(), Clock.systemUTC());
        Sessions sessions = new Sessions(db, tokens, cfg.auth().sessions());
        CatalogReads catalog = new CatalogReads(db, Optional.empty());
        app = new Server.App(cfg, db, catalog, new MarketRegistry(db, Duration.ZERO), sessions);
        server = Server.configure(WebServer.builder(), app).host("127.0.0.1").port(0).build().start();
        api = new Api(Http1Client.builder().baseUri("http://127.0.0.1:" + server.port()).build());
        Server.App slow = new Server.App(cfg, db, catalog, new MarketRegistry(db, Duration.ofHours(1)), sessions);
        laggingServer = Server.configure(WebServer.builder(), slow).host("127.0.0.1").port(0).build().start();
        lagging = new Api(Http1Client.builder().baseUri("http://127.0.0.1:" + laggingServer.port()).build());
    }

    /** The output and exit status of an owner's command. */
    record Run(int status, String out, String err) {
        Run ok() {
            assertThat(err, status, is(0));
            return this;
        }
    }

    Run market(String... args) {
        return command(args, (a, out, err) -> MarketCommand.run(app.config(), a, out, err));
    }

    Run grantManager(String... args) {
        return command(args, (a, out, err) -> GrantManager.run(app.config(), a, out, err));
    }

    private interface Command {
        int run(List<String> args, PrintStream out, PrintStream err);
    }

    private static Run command(String[] args, Command command) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = command.run(Arrays.asList(args), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** Adds a market the way a shop owner would, closed. */
    void add(String code, String name, String currency, String zone, String region, String locale) {
        market("add", code, "--name", name, "--currency", currency, "--timezone", zone, "--phone-region", region,
                "--locale", locale, "--sms-provider", "sms-" + code.toLowerCase(), "--payment-gateway", "pay-"
                        + code.toLowerCase(), "--delivery-service", "post-" + code.toLowerCase()).ok();
    }

    /** Logs in through the API with the code from the SMS outbox; answers the token response. */
    com.fasterxml.jackson.databind.JsonNode login(String phone) throws SQLException {
        api.post("/api/auth/code", null, Map.of("phone", phone)).expect(202);
        List<String> sms = owner("SELECT body FROM sms_outbox WHERE phone = ? ORDER BY id DESC", phone);
        Matcher m = CODE.matcher(sms.getFirst());
        assertThat(sms.getFirst(), m.find(), is(true));
        return api.post("/api/auth/token", null, Map.of("phone", phone, "code", m.group())).expect(200);
    }

    List<String> owner(String sql, Object... params) throws SQLException {
        try (Connection c = database.owner()) {
            return Sql.strings(c, sql, params);
        }
    }

    int ownerUpdate(String sql, Object... params) throws SQLException {
        try (Connection c = database.owner()) {
            return Sql.update(c, sql, params);
        }
    }

    @Override
    public void close() throws SQLException {
        server.stop();
        laggingServer.stop();
        db.close();
        database.close();
    }
}
