package marketbackend.manager;

import java.io.PrintStream;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.Phonenumber;

import marketbackend.AppConfig;
import marketbackend.db.Jdbc;
import marketbackend.market.Market;
import marketbackend.market.MarketRepository;
import marketbackend.market.PhoneMarkets;

/**
 * {@code grant-manager PHONE --markets KG[,US] [--role admin|manager]}: creates or updates a store
 * manager as the owner ({@code DB_MIGRATION_USER}), in one transaction. The phone is validated with
 * libphonenumber and stored in E.164; its region decides the user's market, as at login
 * ({@link PhoneMarkets}). The manager's markets, open or closed, are REPLACED by the given list. Without {@code --role} a new manager is a "manager" and an
 * existing one keeps their role. Exit status: 0 done, 2 bad arguments, 1 database error.
 */
public final class GrantManager {
    static final String USAGE = "Usage: grant-manager PHONE --markets KG[,US] [--role admin|manager]";
    private static final Set<String> ROLES = Set.of("manager", "admin");

    private GrantManager() {
    }

    /** Arguments that failed validation: printed, exit status 2. */
    static final class Refused extends Exception {
        Refused(String message) {
            super(message, null, false, false);
        }
    }

    record Request(String phone, List<String> markets, String role) {
    }

    public static int run(AppConfig cfg, List<String> args, PrintStream out, PrintStream err) {
        try (Connection c = Jdbc.asOwner(cfg)) {
            c.setAutoCommit(false);
            try {
                Request request = parse(args, MarketRepository.all(c));
                List<String> done = apply(c, request);
                c.commit();
                done.forEach(line -> out.println("grant-manager: " + line));
                return 0;
            } catch (Refused e) {
                c.rollback();
                err.println("grant-manager: " + e.getMessage());
                err.println(USAGE);
                return 2;
            } catch (SQLException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            err.println("grant-manager: " + Jdbc.databaseError(e));
            return 1;
        }
    }

    /** Validates the arguments against the markets, open or closed (a market is staffed before it opens). */
    static Request parse(List<String> args, List<Market> known) throws Refused {
        String phone = null;
        String marketsArg = null;
        String role = null;
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            switch (a) {
                case "--markets" -> marketsArg = value(args, ++i, a);
                case "--role" -> role = value(args, ++i, a);
                default -> {
                    if (a.startsWith("--") || phone != null) {
                        throw new Refused("Unexpected argument '" + a + "'");
                    }
                    phone = a;
                }
            }
        }
        if (phone == null) {
            throw new Refused("PHONE is required");
        }
        if (marketsArg == null) {
            throw new Refused("--markets is required, e.g. --markets KG or --markets KG,US");
        }
        if (role != null && !ROLES.contains(role)) {
            throw new Refused("Unknown role '" + role + "'; use manager or admin");
        }
        Set<String> markets = new LinkedHashSet<>();
        for (String m : marketsArg.split(",", -1)) {
            String code = m.strip();
            if (known.stream().noneMatch(k -> k.code().equals(code))) {
                throw new Refused("Unknown market '" + code + "'; markets are " + MarketRepository.describe(known));
            }
            markets.add(code);
        }
        return new Request(phone, List.copyOf(markets), role);
    }

    /** The phone in E.164 and the market of its region (open or closed), or a refusal: as at login. */
    static PhoneMarket phoneAndMarket(String raw, List<Market> known) throws Refused {
        PhoneNumberUtil util = PhoneNumberUtil.getInstance();
        Phonenumber.PhoneNumber number;
        try {
            if (!raw.strip().startsWith("+")) {
                throw new Refused("Phone '" + raw + "' must be in international format, e.g. +996700123456");
            }
            number = util.parse(raw, null);
        } catch (NumberParseException e) {
            throw new Refused("Phone '" + raw + "' is not a phone number");
        }
        String region = PhoneMarkets.region(number);
        if (region == null) {
            throw new Refused("Phone '" + raw + "' is not a valid number");
        }
        Market market = PhoneMarkets.of(number, known)
                .orElseThrow(() -> new Refused("Phone '" + raw + "' is from region " + region + ", which is no market's"));
        return new PhoneMarket(util.format(number, PhoneNumberUtil.PhoneNumberFormat.E164), market);
    }

    record PhoneMarket(String e164, Market market) {
    }

    private static List<String> apply(Connection c, Request r) throws SQLException, Refused {
        PhoneMarket pm = phoneAndMarket(r.phone(), MarketRepository.all(c));
        String phone = pm.e164();
        String market = pm.market().code();
        List<String> done = new ArrayList<>();
        Long userId = Jdbc.number(c, "SELECT id FROM users WHERE phone = ?", phone);
        if (userId == null) {
            userId = Jdbc.number(c, "INSERT INTO users (market, phone) VALUES (?, ?) RETURNING id",
                    market, phone);
            done.add("created user " + userId + " (" + phone + ", market " + market + ")");
        } else {
            done.add("found user " + userId + " (" + phone + ", market " + market + ")");
        }
        String oldRole = Jdbc.string(c, "SELECT role FROM store_managers WHERE user_id = ? FOR UPDATE",
                userId);
        String role = r.role() != null ? r.role() : oldRole != null ? oldRole : "manager";
        Jdbc.update(c, """
                INSERT INTO store_managers (user_id, role) VALUES (?, ?)
                ON CONFLICT (user_id) DO UPDATE SET role = excluded.role""", userId, role);
        done.add(oldRole == null ? "made them a store manager, role " + role
                : "role " + role + (role.equals(oldRole) ? " (unchanged)" : " (was " + oldRole + ")"));
        List<String> before = Jdbc.strings(c,
                "SELECT market FROM store_manager_markets WHERE user_id = ? ORDER BY market", userId);
        Jdbc.update(c, "DELETE FROM store_manager_markets WHERE user_id = ? AND NOT (market = ANY (?))",
                userId, c.createArrayOf("text", r.markets().toArray()));
        for (String m : r.markets()) {
            Jdbc.update(c, "INSERT INTO store_manager_markets (user_id, market) VALUES (?, ?)"
                    + " ON CONFLICT DO NOTHING", userId, m);
        }
        done.add("markets " + String.join(", ", r.markets())
                + " (before: " + (before.isEmpty() ? "none" : String.join(", ", before)) + ")");
        return done;
    }

    private static String value(List<String> args, int i, String option) throws Refused {
        if (i >= args.size() || args.get(i).startsWith("--")) {
            throw new Refused(option + " needs a value");
        }
        return args.get(i);
    }
}
