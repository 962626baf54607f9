package marketbackend.db;

import java.sql.Connection;
import java.sql.Statement;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import marketbackend.support.ScratchDatabase;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** serve's way past Flyway ({@link Migrations#currentVersion}): only on a database this build migrated. */
class MigrationsTest {

    @Test
    void onlyThisBuildsFingerprintSkipsFlyway() throws Exception {
        try (ScratchDatabase db = new ScratchDatabase()) {
            String flyways = Migrations.flyway(db.config()).info().current().getVersion().getVersion();
            assertEquals(Optional.of(flyways), Migrations.currentVersion(db.config()));
            try (Connection c = db.owner(); Statement st = c.createStatement()) {
                st.executeUpdate("UPDATE app.schema_state SET fingerprint = 'another build'");
            }
            assertEquals(Optional.empty(), Migrations.currentVersion(db.config()));
        }
    }
}
