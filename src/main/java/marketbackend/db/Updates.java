package marketbackend.db;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * An UPDATE of the columns a PATCH body named, by id. Only the columns its table's repository
 * lists may be set: column names come from code, never from input.
 */
public final class Updates {
    private final String table;
    private final Map<String, String> changeable;
    private final List<String> assignments = new ArrayList<>();
    private final List<Object> params = new ArrayList<>();

    /** @param changeable each column that may be set, with the SQL type its value is cast to (a null has a type too) */
    public Updates(String table, Map<String, String> changeable) {
        this.table = table;
        this.changeable = changeable;
    }

    /** Sets each column of {@code values} to its value (null clears it). */
    public Updates setAll(Map<String, ?> values) {
        values.forEach((column, value) -> {
            String cast = changeable.get(column);
            if (cast == null) {
                throw new IllegalArgumentException(table + "." + column + " cannot be changed");
            }
            assignments.add(column + " = CAST(? AS " + cast + ")");
            params.add(value);
        });
        return this;
    }

    public Updates setSql(String column, String sql) {
        assignments.add(column + " = " + sql);
        return this;
    }

    /** Runs the update; answers the number of rows changed (0: the row is not writable or gone). */
    public long run(Tx tx, long id) {
        List<Object> all = new ArrayList<>(params);
        all.add(id);
        return tx.dml("UPDATE " + table + " SET " + String.join(", ", assignments) + " WHERE id = ?", all.toArray());
    }
}
