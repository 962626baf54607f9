package marketbackend.db;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;

import marketbackend.AppConfig;

/**
 * Applies the schema (src/main/resources/db/migration, versioned) and the policies
 * (db-policies/R__*.sql, packaged as classpath:db/policies, repeatable) as {@code market_owner},
 * then installs the context keys of this configuration and the build's schema fingerprint.
 */
public final class Migrations {
    private Migrations() {
    }

    public static MigrateResult migrate(AppConfig cfg) {
        MigrateResult result = flyway(cfg).migrate();
        installState(cfg);
        return result;
    }

    /**
     * For {@code serve}: when the last {@code migrate} here was of this build (its fingerprint), Flyway would find
     * nothing to apply, and its scan and checks are most of a start-up: install this configuration's keys and answer
     * the schema's version. Empty when Flyway has work to do.
     */
    public static Optional<String> currentVersion(AppConfig cfg) {
        try (Connection c = Jdbc.asOwner(cfg); Statement st = c.createStatement(); ResultSet rs = st.executeQuery("""
                SELECT (SELECT fingerprint FROM app.schema_state) AS fingerprint,
                       (SELECT version FROM flyway_schema_history WHERE success AND version IS NOT NULL
                        ORDER BY installed_rank DESC LIMIT 1) AS version""")) {
            rs.next();
            if (!SchemaFingerprint.ofThisBuild().equals(rs.getString("fingerprint"))) {
                return Optional.empty();
            }
            installState(cfg);
            return Optional.ofNullable(rs.getString("version"));
        } catch (SQLException e) {
            // a database never migrated has neither table yet: Flyway makes them
            return Optional.empty();
        }
    }

    static Flyway flyway(AppConfig cfg) {
        return Flyway.configure()
                .dataSource(cfg.db().ownerUrl(), cfg.db().migrationUser(), cfg.db().migrationPassword())
                .locations("classpath:db/migration", "classpath:db/policies")
                .schemas("public")
                .createSchemas(false)
                // policy files use $$ bodies and no Flyway placeholders
                .placeholderReplacement(false)
                .connectRetries(5)
                .load();
    }

    /**
     * Exactly the configured keys (DB_CONTEXT_KEY, and DB_CONTEXT_KEY_PREVIOUS during a rotation)
     * verify contexts afterwards; any other key is removed. One transaction.
     */
    private static void installState(AppConfig cfg) {
        var keys = cfg.contextKeys().installable();
        try (Connection c = Jdbc.asOwner(cfg)) {
            c.setAutoCommit(false);
            try (PreparedStatement del = c.prepareStatement("DELETE FROM app.context_keys WHERE NOT (id = ANY (?))");
                 PreparedStatement ins = c.prepareStatement("INSERT INTO app.context_keys (id, inner_pad, outer_pad) "
                         + "VALUES (?, ?, ?) ON CONFLICT (id) DO NOTHING");
                 PreparedStatement state = c.prepareStatement("INSERT INTO app.schema_state (fingerprint) VALUES (?) "
                         + "ON CONFLICT (singleton) DO UPDATE SET fingerprint = excluded.fingerprint, migrated_at = now()")) {
                del.setArray(1, c.createArrayOf("text", keys.stream().map(ContextKey::id).toArray()));
                del.executeUpdate();
                for (ContextKey k : keys) {
                    ins.setString(1, k.id());
                    ins.setBytes(2, k.innerPad());
                    ins.setBytes(3, k.outerPad());
                    ins.executeUpdate();
                }
                state.setString(1, SchemaFingerprint.ofThisBuild());
                state.executeUpdate();
            }
            c.commit();
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot install the context keys: " + e.getMessage(), e);
        }
    }
}
