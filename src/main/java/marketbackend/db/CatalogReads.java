package marketbackend.db;

import java.util.Optional;
import java.util.function.Function;

import marketbackend.context.Actor;
import marketbackend.context.RequestContext;

/**
 * Where a catalog read goes: a guest's to the read replica ({@code DB_READ_URL}) when there is one,
 * everyone else's to the primary, so that a customer or manager always reads what they just wrote.
 * The replica has the same roles, policies and context keys: a guest's read is verified there too.
 */
public final class CatalogReads {
    private final Db primary;
    private final Db guests;

    public CatalogReads(Db primary, Optional<Db> replica) {
        this.primary = primary;
        this.guests = replica.orElse(primary);
    }

    /** {@link Db#read} on the replica for a guest, else on the primary. */
    public <T> T read(RequestContext ctx, Function<Tx, T> work) {
        return (ctx.actor() == Actor.GUEST ? guests : primary).read(ctx, work);
    }

    /** The pool of reference data every request reads (the markets): the replica when there is one. */
    public Db reference() {
        return guests;
    }
}
