package marketbackend.manager;

import java.util.ArrayList;
import java.util.List;

import marketbackend.db.Tx;

/** An UPDATE of the columns a PATCH body named, by id. Column names come from code, never from input. */
final class Updates {
    private final String table;
    private final List<String> assignments = new ArrayList<>();
    private final List<Object> params = new ArrayList<>();

    Updates(String table) {
        this.table = table;
    }

    /** @param cast the SQL type the value is cast to, so that a null has a type too */
    Updates set(String column, String cast, Object value) {
        assignments.add(column + " = CAST(? AS " + cast + ")");
        params.add(value);
        return this;
    }

    Updates setSql(String column, String sql) {
        assignments.add(column + " = " + sql);
        return this;
    }

    boolean isEmpty() {
        return assignments.isEmpty();
    }

    /** Runs the update; answers the number of rows changed (0: the row is not writable or gone). */
    long run(Tx tx, long id) {
        List<Object> all = new ArrayList<>(params);
        all.add(id);
        return tx.dml("UPDATE " + table + " SET " + String.join(", ", assignments) + " WHERE id = ?", all.toArray());
    }
}
