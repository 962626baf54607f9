/**
 * Values that the web layer and the table homes share: how money is written, a bound of a time
 * range. Nothing here reads a request or runs SQL, so a table home uses them without importing
 * {@code http}.
 */
package marketbackend.value;
