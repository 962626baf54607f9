package marketbackend.db;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

import io.helidon.dbclient.DbRow;

import marketbackend.value.Page;
import marketbackend.value.Paging;

/**
 * One paged list: its columns, its FROM, its WHERE (conditions from code, values as parameters) and
 * its order. The page and the count share the one WHERE, and {@link #key()} names exactly that
 * WHERE with its values, so a cached total never answers a different filter.
 *
 * @param <T> an item of the list
 */
public final class Listing<T> {
    private final String columns;
    private final String from;
    private final Function<DbRow, T> mapper;
    private final List<String> conditions = new ArrayList<>();
    private final List<Object> params = new ArrayList<>();
    private String countFrom;
    private String orderBy;

    private Listing(String columns, String from, Function<DbRow, T> mapper) {
        this.columns = columns;
        this.from = from;
        this.countFrom = from;
        this.mapper = mapper;
    }

    /** @param from the FROM clause without the word FROM, e.g. {@code "products p JOIN ..."} */
    public static <T> Listing<T> of(String columns, String from, Function<DbRow, T> mapper) {
        return new Listing<>(columns, from, mapper);
    }

    /** A cheaper FROM for the count, when the page's joins cannot change how many rows there are. */
    public Listing<T> countFrom(String fromClause) {
        this.countFrom = fromClause;
        return this;
    }

    /** Adds {@code condition} (SQL from code, with one {@code ?} per value) to the WHERE. */
    public Listing<T> where(String condition, Object... values) {
        conditions.add(condition);
        params.addAll(Arrays.asList(values));
        return this;
    }

    public Listing<T> orderBy(String order) {
        this.orderBy = order;
        return this;
    }

    public List<T> items(Tx tx, int limit, int offset) {
        List<Object> all = new ArrayList<>(params);
        all.add(limit);
        all.add(offset);
        return tx.query("SELECT " + columns + " FROM " + from + where() + " ORDER BY " + orderBy + " LIMIT ? OFFSET ?",
                all.toArray()).stream().map(mapper).toList();
    }

    public long count(Tx tx) {
        return Rows.number(tx.get(countSql(), params.toArray()).orElseThrow(), "n");
    }

    /** The count's SQL and each value with its type and length: equal keys mean equal counts. */
    public String key() {
        StringBuilder key = new StringBuilder(countSql());
        for (Object p : params) {
            String v = String.valueOf(p);
            key.append('\u0000').append(p == null ? "null" : p.getClass().getName()).append(':').append(v.length())
                    .append(':').append(v);
        }
        return key.toString();
    }

    /** A LIKE pattern that finds {@code text} anywhere, its wildcards taken literally ({@code ESCAPE '\'}). */
    public static String contains(String text) {
        return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
    }

    private String countSql() {
        return "SELECT count(*) AS n FROM " + countFrom + where();
    }

    private String where() {
        if (conditions.isEmpty()) {
            return "";
        }
        return " WHERE " + (conditions.size() == 1 ? conditions.getFirst()
                : "(" + String.join(") AND (", conditions) + ")");
    }

    /** The page {@code paging} asks for, counted in the same transaction. */
    public Page<T> page(Tx tx, Paging paging) {
        return page(tx, paging, null);
    }

    /**
     * Like {@link #page(Tx, Paging)}, the total kept a few seconds in {@code totals} (null: always
     * count). A short first page is the whole list: no count at all.
     */
    public Page<T> page(Tx tx, Paging paging, TotalsCache totals) {
        List<T> items = items(tx, paging.size(), paging.offset());
        long total;
        if (paging.page() == 1 && items.size() < paging.size()) {
            total = items.size();
        } else if (totals == null) {
            total = count(tx);
        } else {
            total = totals.get(tx.context().market(), key(), () -> count(tx));
        }
        return new Page<>(items, paging.page(), paging.size(), total);
    }
}
