package marketbackend.audit;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

import marketbackend.db.Jdbc;
import marketbackend.db.Rows;

/**
 * Runs the DBA's own SQL files, unchanged, from the classpath copy of db-policies/: {@code audit.sql}
 * (the findings) and {@code matrix.sql} (who may do what). A DBA running them in psql sees the same rows.
 */
public final class PolicyAudit {
    static final String AUDIT_SQL = "db/policies/audit.sql";
    static final String MATRIX_SQL = "db/policies/matrix.sql";

    private PolicyAudit() {
    }

    /** The findings, on {@code c} within its current transaction (the caller decides commit or rollback). */
    public static List<Finding> findings(Connection c) throws SQLException {
        return Jdbc.fileRows(c, sql(AUDIT_SQL)).stream()
                .map(r -> new Finding(Rows.text(r, "check"), Rows.text(r, "object"), Rows.optionalText(r, "detail"),
                        Rows.text(r, "severity")))
                .toList();
    }

    /** The permission matrix: table x app role x command, with the policies that apply. */
    public static List<MatrixRow> matrix(Connection c) throws SQLException {
        return Jdbc.fileRows(c, sql(MATRIX_SQL)).stream()
                .map(r -> new MatrixRow(Rows.text(r, "table"), Rows.text(r, "role"), Rows.text(r, "command"),
                        Rows.text(r, "grant"), Rows.optionalText(r, "policy"), Rows.optionalText(r, "using"),
                        Rows.optionalText(r, "with_check")))
                .toList();
    }

    /** The text of a packaged SQL file. */
    static String sql(String resource) {
        try (InputStream in = PolicyAudit.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("Missing resource " + resource + " (db-policies/ is packaged as db/policies/)");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
