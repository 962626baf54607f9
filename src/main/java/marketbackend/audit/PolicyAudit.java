package marketbackend.audit;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

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
        List<Finding> out = new ArrayList<>();
        try (Statement st = statement(c); ResultSet rs = st.executeQuery(sql(AUDIT_SQL))) {
            while (rs.next()) {
                out.add(new Finding(rs.getString("check"), rs.getString("object"), rs.getString("detail"),
                        rs.getString("severity")));
            }
        }
        return out;
    }

    /** The permission matrix: table x app role x command, with the policies that apply. */
    public static List<MatrixRow> matrix(Connection c) throws SQLException {
        List<MatrixRow> out = new ArrayList<>();
        try (Statement st = statement(c); ResultSet rs = st.executeQuery(sql(MATRIX_SQL))) {
            while (rs.next()) {
                out.add(new MatrixRow(rs.getString("table"), rs.getString("role"), rs.getString("command"),
                        rs.getString("grant"), rs.getString("policy"), rs.getString("using"),
                        rs.getString("with_check")));
            }
        }
        return out;
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

    private static Statement statement(Connection c) throws SQLException {
        Statement st = c.createStatement();
        // the files are plain PostgreSQL: no JDBC {fn ...} escapes to rewrite
        st.setEscapeProcessing(false);
        return st;
    }
}
