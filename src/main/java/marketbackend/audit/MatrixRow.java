package marketbackend.audit;

/**
 * One row of db-policies/matrix.sql: may {@code role} run {@code command} on {@code table}, under
 * which policy. {@code grant} is "table", "columns (a, b)" or "no grant"; {@code using} and
 * {@code withCheck} are the policy's expressions (null when the policy has none).
 */
public record MatrixRow(String table, String role, String command, String grant, String policy, String using,
                        String withCheck) {
}
