package marketbackend.support;

import marketbackend.Server;
import marketbackend.db.Databases;
import marketbackend.db.Db;

/** The application wired against the test database, shared by every HTTP test of the run. */
public final class TestApp {
    private static volatile Server.App app;

    private TestApp() {
    }

    public static Server.App get() {
        if (app == null) {
            synchronized (TestApp.class) {
                if (app == null) {
                    TestDatabase database = TestDatabase.get();
                    Db db = Databases.requestPool(database.config());
                    Databases.requireSafeLoginRole(db);
                    app = Server.App.create(database.config(), db);
                }
            }
        }
        return app;
    }
}
