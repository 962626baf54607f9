/**
 * Values that the web layer, the services and the table homes share: how money is written, a bound
 * of a time range, a page of a list and which page was asked for, how JSON is written and read.
 * Nothing here reads a request or runs SQL, so a table home uses them without importing {@code http}.
 */
package marketbackend.value;
