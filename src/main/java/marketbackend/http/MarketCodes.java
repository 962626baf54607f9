package marketbackend.http;

import java.util.List;

/** The market codes the request filter checks a request against; the market registry answers them. */
public interface MarketCodes {

    /** Is {@code code} exactly the code of an open market ("KG", not "kg")? */
    boolean isOpen(String code);

    /** Is {@code code} exactly the code of a market, open or closed (its customers and managers still name it)? */
    boolean isKnown(String code);

    /** The open markets' codes, in display order. */
    List<String> openCodes();
}
