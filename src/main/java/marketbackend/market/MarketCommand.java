package marketbackend.market;

import java.io.PrintStream;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import marketbackend.AppConfig;
import marketbackend.catalog.ProductRepository;
import marketbackend.db.Jdbc;

/**
 * {@code market add|open|close|list}: markets as data, for whoever runs the shop. Runs as the owner
 * ({@code DB_MIGRATION_USER}), each command in one transaction; every change is recorded in
 * {@code audit_log} with no manager (entity "market"). A running server sees a change within
 * {@link MarketRegistry#DEFAULT_TTL}. Exit status: 0 done, 1 refused or database error, 2 bad arguments.
 */
public final class MarketCommand {
    static final String USAGE = """
            Usage: market add CODE --name NAME --currency CUR --timezone ZONE --phone-region REGION --locale TAG
                              --sms-provider NAME --payment-gateway NAME --delivery-service NAME   (added closed)
                   market open CODE     (refused, saying what is missing, until every ALL product has a price
                                         in the market's currency and the market has a manager)
                   market close CODE
                   market list""";

    private MarketCommand() {
    }

    /** A command that cannot be done: printed, exit status 1 (or 2 for bad arguments). */
    static final class Refused extends Exception {
        final int status;

        Refused(int status, String message) {
            super(message, null, false, false);
            this.status = status;
        }
    }

    public static int run(AppConfig cfg, List<String> args, PrintStream out, PrintStream err) {
        String verb = args.isEmpty() ? "" : args.getFirst();
        List<String> rest = args.subList(Math.min(1, args.size()), args.size());
        try (Connection c = Jdbc.asOwner(cfg)) {
            c.setAutoCommit(false);
            try {
                List<String> lines = switch (verb) {
                    case "add" -> add(c, parse(rest));
                    case "open" -> open(c, code(rest));
                    case "close" -> close(c, code(rest));
                    case "list" -> {
                        if (!rest.isEmpty()) {
                            throw new Refused(2, "Unexpected argument '" + rest.getFirst() + "'");
                        }
                        yield MarketListing.lines(c);
                    }
                    default -> throw new Refused(2, verb.isEmpty() ? "Say what to do: add, open, close or list"
                            : "Unknown market command '" + verb + "'");
                };
                c.commit();
                lines.forEach(line -> out.println((verb.equals("list") ? "" : "market " + verb + ": ") + line));
                return 0;
            } catch (Refused e) {
                c.rollback();
                err.println("market " + verb + ": " + e.getMessage());
                if (e.status == 2) {
                    err.println(USAGE);
                }
                return e.status;
            } catch (SQLException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            err.println("market " + verb + ": " + Jdbc.databaseError(e));
            return 1;
        }
    }

    private static NewMarket parse(List<String> args) throws Refused {
        try {
            return NewMarket.parse(args);
        } catch (NewMarket.Invalid e) {
            throw new Refused(2, e.getMessage());
        }
    }

    /** The one CODE argument of open and close. */
    private static String code(List<String> args) throws Refused {
        if (args.size() != 1) {
            throw new Refused(2, args.isEmpty() ? "CODE is required" : "Unexpected argument '" + args.getLast() + "'");
        }
        return args.getFirst();
    }

    private static List<String> add(Connection c, NewMarket m) throws SQLException, Refused {
        List<Market> known = MarketRepository.all(c);
        if (known.stream().anyMatch(k -> k.code().equals(m.code()))) {
            throw new Refused(1, "Market " + m.code() + " exists already");
        }
        for (Market k : known) {
            if (k.phoneRegion().equals(m.phoneRegion())) {
                throw new Refused(1, "Phone region " + m.phoneRegion() + " is market " + k.code()
                        + "'s already: a region names one market");
            }
        }
        Jdbc.update(c, """
                INSERT INTO markets (code, name, currency, timezone, phone_region, calling_code, locale,
                                     sms_provider, payment_gateway, delivery_service, position, is_active)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, (SELECT coalesce(max(position), 0) + 1 FROM markets), false)""",
                m.code(), m.name(), m.currency(), m.timezone(), m.phoneRegion(), Integer.toString(m.callingCode()),
                m.locale(), m.smsProvider(), m.paymentGateway(), m.deliveryService());
        Jdbc.update(c, "INSERT INTO order_counters (market) VALUES (?)", m.code());
        record(c, m.code(), "add", null, Jdbc.strings(c, "SELECT to_jsonb(k)::text FROM markets k WHERE k.code = ?",
                m.code()).getFirst());
        return List.of("added " + m.code() + " (" + m.name() + ", " + m.currency() + ", " + m.timezone()
                        + ", phones of " + m.phoneRegion() + " +" + m.callingCode() + ", " + m.locale() + "), closed",
                "next: prices of the ALL products in " + m.currency() + ", a manager (grant-manager PHONE --markets "
                        + m.code() + "), then market open " + m.code());
    }

    private static List<String> open(Connection c, String code) throws SQLException, Refused {
        Market m = lock(c, code);
        if (m.open()) {
            return List.of(code + " is open already; nothing changed");
        }
        List<String> missing = new ArrayList<>();
        List<String> unpriced = Jdbc.strings(c, "SELECT '#' || p.id || ' ' || p.name FROM "
                + ProductRepository.unpricedAll("?") + " ORDER BY p.id", code);
        if (!unpriced.isEmpty()) {
            missing.add(unpriced.size() + " ALL product(s) without a price in " + m.currency() + ": "
                    + String.join(", ", unpriced.subList(0, Math.min(10, unpriced.size())))
                    + (unpriced.size() > 10 ? ", ..." : ""));
        }
        if (Jdbc.strings(c, "SELECT user_id::text FROM store_manager_markets WHERE market = ?", code).isEmpty()) {
            missing.add("no manager: grant-manager PHONE --markets " + code);
        }
        if (!missing.isEmpty()) {
            throw new Refused(1, code + " stays closed; missing:\n  - " + String.join("\n  - ", missing));
        }
        setOpen(c, code, true);
        return List.of(code + " is open: guests, sign-ups and orders from now on (running servers: at once for a request"
                + " naming it, else within " + MarketRegistry.DEFAULT_TTL.toSeconds() + " s)");
    }

    private static List<String> close(Connection c, String code) throws SQLException, Refused {
        Market m = lock(c, code);
        if (!m.open()) {
            return List.of(code + " is closed already; nothing changed");
        }
        setOpen(c, code, false);
        return List.of(code + " is closed: no guests, sign-ups or purchases; customers still read their own, "
                + "managers still run it");
    }

    private static Market lock(Connection c, String code) throws SQLException, Refused {
        if (Jdbc.strings(c, "SELECT code FROM markets WHERE code = ? FOR UPDATE", code).isEmpty()) {
            throw new Refused(2, "Unknown market '" + code + "'; markets are "
                    + MarketRepository.describe(MarketRepository.all(c)));
        }
        return MarketRepository.all(c).stream().filter(k -> k.code().equals(code)).findFirst().orElseThrow();
    }

    private static void setOpen(Connection c, String code, boolean open) throws SQLException {
        Jdbc.update(c, "UPDATE markets SET is_active = ? WHERE code = ?", open, code);
        record(c, code, open ? "open" : "close", "{\"is_active\": " + !open + "}", "{\"is_active\": " + open + "}");
    }

    /** One audit_log row without a manager: the owner did it. {@code before}/{@code after}: JSON text. */
    private static void record(Connection c, String code, String action, String before, String after) throws SQLException {
        Jdbc.update(c, """
                INSERT INTO audit_log (market, manager_id, action, entity, entity_id, before, after, request_id)
                VALUES (?, NULL, ?, 'market', ?, CAST(? AS jsonb), CAST(? AS jsonb), ?)""",
                code, action, code, before, after, "market-command-" + UUID.randomUUID());
    }
}
