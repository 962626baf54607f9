package marketbackend.db;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;

import marketbackend.AppConfig;

/**
 * Applies the schema (src/main/resources/db/migration, versioned) and the policies
 * (db-policies/R__*.sql, packaged as classpath:db/policies, repeatable) as {@code market_owner}.
 */
public final class Migrations {
    private Migrations() {
    }

    public static MigrateResult migrate(AppConfig cfg) {
        return flyway(cfg).migrate();
    }

    static Flyway flyway(AppConfig cfg) {
        return Flyway.configure()
                .dataSource(cfg.dbUrl(), cfg.migrationUser(), cfg.migrationPassword())
                .locations("classpath:db/migration", "classpath:db/policies")
                .schemas("public")
                .createSchemas(false)
                // policy files use $$ bodies and no Flyway placeholders
                .placeholderReplacement(false)
                .connectRetries(5)
                .load();
    }
}
