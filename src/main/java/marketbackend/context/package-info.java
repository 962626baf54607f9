/**
 * What a request is, for the database: who calls ({@link marketbackend.context.Actor}), in which
 * market, as which user. The web layer ({@code http.MarketFilter}) decides it; the database layer
 * ({@code db.Db}) signs it and makes it the first statement of every transaction. Neither depends
 * on the other through it.
 */
package marketbackend.context;
