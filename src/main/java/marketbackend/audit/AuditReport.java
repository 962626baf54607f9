package marketbackend.audit;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/** Prints findings or the matrix for a person (aligned text) or a program ({@code --json}). */
final class AuditReport {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final String INDENT = " ".repeat(9);
    /** Lines up a policy's expressions under its name in the matrix. */
    private static final String EXPR_INDENT = " ".repeat(50);

    private final PrintStream out;
    private final boolean json;
    private final String database;

    AuditReport(PrintStream out, boolean json, String database) {
        this.out = out;
        this.json = json;
        this.database = database;
    }

    void findings(List<Finding> findings) {
        long errors = findings.stream().filter(Finding::isError).count();
        if (json) {
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("database", database);
            doc.put("errors", errors);
            doc.put("warnings", findings.size() - errors);
            doc.put("findings", findings.stream().map(AuditReport::findingJson).toList());
            print(doc);
            return;
        }
        if (findings.isEmpty()) {
            out.println("DBA audit of " + database + ": no findings.");
            return;
        }
        out.printf("DBA audit of %s: %d finding%s (%d error%s, %d warning%s)%n%n", database,
                findings.size(), plural(findings.size()), errors, plural(errors),
                findings.size() - errors, plural(findings.size() - errors));
        for (Finding f : findings) {
            out.printf("%-8s %s%n%s%s%n%s%s%n%n", f.severity().toUpperCase(Locale.ROOT), f.check(),
                    INDENT, f.object(), INDENT, f.detail());
        }
        out.println("Each check is explained in db-policies/README.md; allow-lists are at the top of db-policies/audit.sql.");
    }

    void matrix(List<MatrixRow> rows) {
        if (json) {
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("database", database);
            doc.put("rows", rows.stream().map(AuditReport::matrixJson).toList());
            print(doc);
            return;
        }
        out.println("Who may do what in " + database + " (table x role x command -> policy)");
        String table = null;
        for (MatrixRow r : rows) {
            if (!Objects.equals(table, r.table())) {
                table = r.table();
                out.printf("%n%s%n", table);
            }
            String line = String.format("  %-16s %-7s %-22s %s", r.role(), r.command(), r.grant(),
                    r.policy() == null ? "" : r.policy());
            out.println(line.stripTrailing());
            expression("using", r.using());
            expression("check", r.withCheck());
        }
    }

    private void expression(String label, String expr) {
        if (expr != null) {
            out.printf("%s%s: %s%n", EXPR_INDENT, label, expr.replaceAll("\\s+", " ").trim());
        }
    }

    private static Map<String, Object> findingJson(Finding f) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("check", f.check());
        m.put("object", f.object());
        m.put("detail", f.detail());
        m.put("severity", f.severity());
        return m;
    }

    private static Map<String, Object> matrixJson(MatrixRow r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("table", r.table());
        m.put("role", r.role());
        m.put("command", r.command());
        m.put("grant", r.grant());
        m.put("policy", r.policy());
        m.put("using", r.using());
        m.put("with_check", r.withCheck());
        return m;
    }

    private void print(Object doc) {
        try {
            out.println(JSON.writeValueAsString(doc));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot write the audit as JSON", e);
        }
    }

    private static String plural(long n) {
        return n == 1 ? "" : "s";
    }
}
