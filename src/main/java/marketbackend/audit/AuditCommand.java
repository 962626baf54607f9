package marketbackend.audit;

import java.io.PrintStream;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Set;

import marketbackend.AppConfig;
import marketbackend.db.Bootstrap;
import marketbackend.db.Jdbc;

/**
 * {@code java -jar target/market-backend.jar audit [--json] [--matrix]}.
 *
 * <p>Connects as the owner ({@code DB_MIGRATION_USER}, at {@code DB_MIGRATION_URL}, else {@code DB_URL}):
 * every catalog the audit reads is visible to it, and no superuser is needed. Runs in a READ ONLY
 * transaction that is rolled back, with {@code audit.login_role} set to {@code DB_USER}, so the pool role
 * actually configured is audited.
 * Exit status: 0 no finding, 1 findings, 2 usage or connection error. {@code --matrix} always exits 0.
 */
public final class AuditCommand {
    private static final Set<String> FLAGS = Set.of("--json", "--matrix");

    private AuditCommand() {
    }

    public static int run(AppConfig cfg, List<String> args) {
        return run(cfg, args, System.out, System.err);
    }

    static int run(AppConfig cfg, List<String> args, PrintStream out, PrintStream err) {
        for (String a : args) {
            if (!FLAGS.contains(a)) {
                err.println("audit: unknown option " + a + " (usage: audit [--json] [--matrix])");
                return 2;
            }
        }
        boolean json = args.contains("--json");
        boolean matrix = args.contains("--matrix");
        String database = Bootstrap.databaseName(cfg.db().ownerUrl());
        try (Connection c = Jdbc.asOwner(cfg)) {
            c.setAutoCommit(false);
            try {
                begin(c, cfg.db().user());
                AuditReport report = new AuditReport(out, json, database);
                if (matrix) {
                    report.matrix(PolicyAudit.matrix(c));
                    return 0;
                }
                List<Finding> findings = PolicyAudit.findings(c);
                report.findings(findings);
                return findings.isEmpty() ? 0 : 1;
            } finally {
                c.rollback();
            }
        } catch (SQLException e) {
            err.println("audit: cannot audit " + database + " as " + cfg.db().migrationUser() + ": " + e.getMessage());
            return 2;
        }
    }

    private static void begin(Connection c, String loginRole) throws SQLException {
        Jdbc.execute(c, "SET TRANSACTION READ ONLY");
        Jdbc.execute(c, "SELECT set_config('audit.login_role', ?, true)", loginRole);
    }
}
