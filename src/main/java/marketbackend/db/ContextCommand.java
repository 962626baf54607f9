package marketbackend.db;

import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

import marketbackend.AppConfig;
import marketbackend.context.Actor;
import marketbackend.context.RequestContext;

/**
 * {@code context --role guest|customer|manager|reporter --market KG [--user ID] [--ttl SECONDS] [--read-only]}:
 * prints the context statement of that caller, signed with DB_CONTEXT_KEY for the DBA's own login
 * role market_dba (the pool's role cannot use it), for a DBA to paste into psql as market_dba after
 * BEGIN and see exactly what that caller sees. Short-lived: whoever reads it later gets nothing.
 */
public final class ContextCommand {
    static final Duration DEFAULT_TTL = Duration.ofSeconds(60);
    public static final String DBA_LOGIN = "market_dba";
    private static final String USAGE =
            "usage: context --role guest|customer|manager|reporter --market KG [--user ID] [--ttl SECONDS] [--read-only]";

    private ContextCommand() {
    }

    public static int run(AppConfig cfg, List<String> args, PrintStream out, PrintStream err) {
        Actor actor = null;
        String market = null;
        Long user = null;
        Duration ttl = DEFAULT_TTL;
        boolean readOnly = false;
        try {
            for (int i = 0; i < args.size(); i++) {
                String value = i + 1 < args.size() ? args.get(i + 1) : null;
                if (args.get(i).equals("--read-only")) {
                    readOnly = true;
                    continue;
                }
                switch (args.get(i)) {
                    case "--role" -> actor = Actor.valueOf(require(value, "--role").toUpperCase(Locale.ROOT));
                    case "--market" -> market = require(value, "--market");
                    case "--user" -> user = Long.parseLong(require(value, "--user"));
                    case "--ttl" -> ttl = Duration.ofSeconds(Long.parseLong(require(value, "--ttl")));
                    default -> throw new IllegalArgumentException("unknown option " + args.get(i));
                }
                i++;
            }
            if (actor == null || market == null || !market.matches("[A-Z]{2,8}")) {
                throw new IllegalArgumentException("give --role and --market (an uppercase market code)");
            }
            if ((actor == Actor.CUSTOMER || actor == Actor.MANAGER) != (user != null)) {
                throw new IllegalArgumentException("--user is required for customer and manager, and only for them");
            }
            if (ttl.isNegative() || ttl.isZero() || ttl.toSeconds() > 3600) {
                throw new IllegalArgumentException("--ttl must be 1 to 3600 seconds");
            }
        } catch (IllegalArgumentException e) {
            err.println("context: " + e.getMessage());
            err.println(USAGE);
            return 2;
        }
        RequestContext ctx = new RequestContext(actor, market, user, "dba-" + UUID.randomUUID(), null);
        String signed = cfg.contextKeys().signer(Clock.systemUTC()).sign(ctx, DBA_LOGIN, readOnly, ttl);
        out.println(statement(signed));
        return 0;
    }

    /** The statement with its value written out (a signed context holds no quote). */
    static String statement(String signedContext) {
        return "CALL app.enter('" + signedContext.replace("'", "''") + "');";
    }

    private static String require(String value, String option) {
        if (value == null) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return value;
    }
}
