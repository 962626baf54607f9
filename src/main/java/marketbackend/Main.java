package marketbackend;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

import io.helidon.logging.common.LogConfig;
import io.helidon.webserver.WebServer;

import marketbackend.db.Bootstrap;
import marketbackend.db.Migrations;
import marketbackend.demo.DemoData;
import marketbackend.ops.JsonLogFormatter;
import marketbackend.ops.StatusLine;
import marketbackend.tools.DataGenerator;

/**
 * {@code java -jar target/market-backend.jar [command]}: {@code serve} (the default: migrate, then serve),
 * {@code migrate}, {@code bootstrap}, {@code sms-outbox}, {@code demo-data}, {@code market},
 * {@code grant-manager}, {@code generate-data}, {@code bench-queries}, {@code audit}, {@code context}, {@code db-url};
 * {@link #usage} says what each does.
 */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) throws Exception {
        LogConfig.configureRuntime();
        List<String> all = new java.util.ArrayList<>(Arrays.asList(args));
        boolean verbose = all.remove("--verbose");
        String command = all.isEmpty() ? "serve" : all.getFirst();
        List<String> rest = all.subList(Math.min(1, all.size()), all.size());
        int status;
        try {
            status = run(command, rest);
        } catch (Preflight.Failure | IllegalStateException | IllegalArgumentException | java.io.UncheckedIOException e) {
            // a configuration mistake: one line that says what to do, no stack trace
            if (verbose) {
                e.printStackTrace();
            }
            System.err.println("market-backend: " + e.getMessage());
            status = 1;
        } catch (Exception e) {
            // anything else (a failed migration, a database error): still one line, the trace with --verbose
            if (verbose) {
                e.printStackTrace();
            }
            System.err.println("market-backend: " + command + " failed: " + Preflight.oneLine(e)
                    + (verbose ? "" : " (--verbose: the stack trace)"));
            status = 1;
        }
        if (status >= 0) {
            System.exit(status);
        }
    }

    private static int run(String command, List<String> rest) throws Exception {
        if (List.of("help", "--help", "-h").contains(command)) {
            return usage(0);
        }
        Map<String, String> env = System.getenv();
        AppConfig cfg = AppConfig.fromEnv(env);
        if (cfg.jsonLogs()) {
            JsonLogFormatter.install();
        }
        if (command.equals("sms-outbox") && rest.size() != 1) {
            // the usage, before any database is looked for
            return marketbackend.sms.OutboxCommand.run(cfg, rest, System.out, System.err);
        }
        boolean serve = command.equals("serve");
        if (serve) {
            cfg.jwtSecretBytes();
            cfg.contextKeys().signer(java.time.Clock.systemUTC());
            Preflight.portIsFree(cfg);
        }
        var choice = command.equals("context") ? EmbeddedDefault.Choice.CONFIGURED : EmbeddedDefault.choose(cfg, command);
        boolean loadDemo = false;
        String why = !cfg.embedded().asked() && choice == EmbeddedDefault.Choice.EMBEDDED
                && !java.nio.file.Files.exists(cfg.embedded().dir().resolve(EmbeddedDefault.STATE_FILE))
                ? "No DB_URL and no PostgreSQL at localhost:5432: using the embedded PostgreSQL "
                        + marketbackend.db.EmbeddedCluster.MAJOR + " (DB_URL=embedded)" : null;
        if (choice == EmbeddedDefault.Choice.LOCAL_BOOTSTRAP) {
            Boolean bootstrapped = EmbeddedDefault.bootstrapLocal(cfg, System.out::println);
            if (bootstrapped == null) {
                choice = EmbeddedDefault.Choice.EMBEDDED;
            } else {
                loadDemo = bootstrapped;
                EmbeddedDefault.unmark(cfg);
            }
        }
        boolean embedded = choice == EmbeddedDefault.Choice.EMBEDDED;
        if (embedded) {
            cfg = EmbeddedDefault.use(cfg, env, StatusLine::print, why);
            loadDemo = true;
            if (serve) {
                EmbeddedDefault.markServing(cfg);
            }
        }
        if (!command.equals("bootstrap") && !command.equals("context")) {
            // MIGRATE_ON_START=false: the serving process has no owner credentials, so it checks as the pool's role
            Preflight.databaseAnswers(cfg, !serve || cfg.db().migrateOnStart() || loadDemo);
        }
        return switch (command) {
            case "serve" -> serve(cfg, loadDemo);
            case "migrate" -> migrate(cfg);
            case "bootstrap" -> bootstrap(cfg, rest);
            case "sms-outbox" -> marketbackend.sms.OutboxCommand.run(cfg, rest, System.out, System.err);
            case "demo-data" -> demoData(cfg, rest);
            case "market" -> marketbackend.market.MarketCommand.run(cfg, rest, System.out, System.err);
            case "grant-manager" -> marketbackend.manager.GrantManager.run(cfg, rest, System.out, System.err);
            case "generate-data" -> generateData(cfg, rest);
            case "bench-queries" -> {
                marketbackend.tools.QueryBench.run(cfg, rest, System.out);
                yield 0;
            }
            case "audit" -> marketbackend.audit.AuditCommand.run(cfg, rest);
            case "context" -> marketbackend.db.ContextCommand.run(cfg, rest, System.out, System.err);
            case "db-url" -> dbUrl(cfg, rest);
            default -> {
                System.err.println("Unknown command: " + command + " " + rest);
                yield usage(2);
            }
        };
    }

    private static int serve(AppConfig cfg, boolean loadDemo) throws Exception {
        if (loadDemo) {
            demoData(cfg, List.of());
        } else if (cfg.db().migrateOnStart()) {
            var current = Migrations.currentVersion(cfg);
            if (current.isPresent()) {
                StatusLine.print("Schema up to date at version " + current.get());
            } else {
                migrate(cfg);
            }
        }
        Server.App app = Server.App.open(cfg);
        long started = System.nanoTime();
        WebServer server = Server.start(app);
        if (server.port() < 0) {
            // the port was taken between the check and the start
            server.stop();
            throw Preflight.portInUse(cfg);
        }
        StatusLine.print("market-backend serving on http://%s:%d (started in %d ms)".formatted(
                cfg.serverHost().equals("0.0.0.0") ? "localhost" : cfg.serverHost(), server.port(),
                (System.nanoTime() - started) / 1_000_000));
        return -1;
    }

    /** For psql: the request pool's database as its role (market_app), in libpq's URL form, without the password. */
    /** {@code db-url [--dba]}: the database as the pool's role, or as the DBAs' role that enters a {@code context}. */
    private static int dbUrl(AppConfig cfg, List<String> args) {
        java.net.URI uri = java.net.URI.create(cfg.db().url().substring("jdbc:".length()));
        String user = args.contains("--dba") ? marketbackend.db.ContextCommand.DBA_LOGIN : cfg.db().user();
        System.out.printf("postgresql://%s@%s:%d%s%n", user, uri.getHost(), uri.getPort() < 0 ? 5432 : uri.getPort(),
                uri.getPath());
        return 0;
    }

    private static int migrate(AppConfig cfg) {
        var result = Migrations.migrate(cfg);
        if (result.migrationsExecuted == 0) {
            StatusLine.print("Schema up to date at version " + result.initialSchemaVersion);
        } else {
            StatusLine.print("Migrations: %d applied, schema now at version %s".formatted(result.migrationsExecuted,
                    result.targetSchemaVersion == null ? result.initialSchemaVersion : result.targetSchemaVersion));
        }
        return 0;
    }

    private static int bootstrap(AppConfig cfg, List<String> args) throws Exception {
        if (!args.isEmpty() && !args.equals(List.of("--reset-passwords"))) {
            System.err.println("bootstrap: unknown option " + args + " (only --reset-passwords)");
            return 2;
        }
        List<String> steps;
        try {
            steps = Bootstrap.run(cfg, !args.isEmpty());
        } catch (java.sql.SQLException e) {
            throw new Preflight.Failure("bootstrap needs a superuser connection (DB_ADMIN_URL, now "
                    + Preflight.hostAndPort(cfg.db().adminUrl()) + "): " + Preflight.firstLine(e));
        }
        for (String step : steps) {
            System.out.println("bootstrap: " + step);
        }
        return 0;
    }

    private static int demoData(AppConfig cfg, List<String> args) throws Exception {
        if (!(args.isEmpty() || (args.size() == 2 && args.getFirst().equals("--market")))) {
            System.err.println("Usage: demo-data [--market CODE]");
            return 2;
        }
        migrate(cfg);
        DemoData.Result r;
        try {
            r = DemoData.load(cfg, args.isEmpty() ? null : args.get(1));
        } catch (IllegalArgumentException e) {
            System.err.println("demo-data: " + e.getMessage());
            return 2;
        }
        StatusLine.print("Demo data: %d categories, %d products, %d prices, %d banners added".formatted(
                r.categories(), r.products(), r.prices(), r.banners()));
        return 0;
    }

    private static int generateData(AppConfig cfg, List<String> args) throws Exception {
        DataGenerator.Counts counts;
        try {
            counts = DataGenerator.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("generate-data: " + e.getMessage());
            return 2;
        }
        migrate(cfg);
        DataGenerator.run(cfg, counts, System.out);
        return 0;
    }

    private static int usage(int status) {
        System.out.println("""
                Usage: bin/market-backend [command]   (or: java -jar target/market-backend.jar [command])
                  (none) | serve   apply migrations and policies, then serve HTTP on SERVER_PORT
                  migrate          apply migrations and policies, then exit
                  bootstrap [--reset-passwords]
                                   create roles and the database (needs DB_ADMIN_URL, a superuser URL)
                  sms-outbox PHONE the code of the last SMS stored for PHONE (SMS_MODE=outbox)
                  demo-data [--market CODE]
                                   add the demo catalog (idempotent); --market: also price it in CODE
                  market add|open|close|list   markets as data (`market` alone prints its usage)
                  grant-manager PHONE --markets KG[,US] [--role admin]   create or update a store manager
                  generate-data --products N --users N --orders N
                                   bulk-load generated data for benchmarks (as the owner)
                  bench-queries [--iterations N] [--market KG]
                                   hot queries through the policies vs an explicit WHERE (median ratio)
                  audit [--json|--matrix]  DBA audit of policies, grants, indexes (as DB_MIGRATION_USER; exit 1 on findings)
                  context --role guest|customer|manager|reporter --market KG [--user ID] [--ttl SECONDS]
                                   the signed context statement of that caller, to paste into psql as market_app
                  db-url [--dba]   the database as market_app (--dba: market_dba, for a context), for psql "$(... db-url)"
                  --verbose        (with any command) a failure's stack trace, not only its one line
                """);
        return status;
    }
}
