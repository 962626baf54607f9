package marketbackend.db;

import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

import io.helidon.common.mapper.MapperManager;
import io.helidon.dbclient.DbClient;
import io.helidon.dbclient.DbColumnBase;
import io.helidon.dbclient.DbMapperManager;
import io.helidon.dbclient.DbRow;
import io.helidon.dbclient.DbRowBase;

/**
 * Result rows as Helidon {@link DbRow}s, read the way helidon-dbclient-jdbc reads them
 * ({@code getObject}, column labels, Helidon's mappers), so handlers keep the DbClient row API
 * while {@link Tx} sends the context and the statement in one round trip below it.
 */
final class ResultRows {
    private static final DbMapperManager DB_MAPPERS = DbMapperManager.create();

    private ResultRows() {
    }

    /** Every row of {@code rs}, read fully. */
    static List<DbRow> all(ResultSet rs) throws SQLException {
        ResultSetMetaData meta = rs.getMetaData();
        int n = meta.getColumnCount();
        String[] names = new String[n];
        String[] types = new String[n];
        for (int i = 0; i < n; i++) {
            names[i] = meta.getColumnLabel(i + 1);
            types[i] = meta.getColumnTypeName(i + 1);
        }
        List<DbRow> rows = new ArrayList<>();
        while (rs.next()) {
            Column[] columns = new Column[n];
            for (int i = 0; i < n; i++) {
                columns[i] = new Column(rs.getObject(i + 1), names[i], types[i]);
            }
            rows.add(new Row(columns));
        }
        return rows;
    }

    private static final class Row extends DbRowBase {
        Row(Column[] columns) {
            super(columns, DB_MAPPERS);
        }
    }

    private static final class Column extends DbColumnBase {
        private final String name;
        private final String dbType;

        Column(Object value, String name, String dbType) {
            super(value, MapperManager.global(), DbClient.MAPPING_QUALIFIER);
            this.name = name;
            this.dbType = dbType;
        }

        @Override
        public Class<?> javaType() {
            return rawValue() == null ? null : rawValue().getClass();
        }

        @Override
        public String dbType() {
            return dbType;
        }

        @Override
        public String name() {
            return name;
        }
    }
}
