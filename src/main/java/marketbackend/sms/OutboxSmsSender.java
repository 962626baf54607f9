package marketbackend.sms;

import marketbackend.db.Tx;
import marketbackend.market.Market;

/**
 * {@code SMS_MODE=outbox}: the message is a row of {@code sms_outbox} ({@link SmsOutboxRepository}),
 * written in the caller's transaction (a worker or a developer reads it there).
 */
final class OutboxSmsSender implements SmsSender {
    private static final System.Logger LOG = System.getLogger(OutboxSmsSender.class.getName());

    @Override
    public void send(Tx tx, Market market, String e164Phone, String text) {
        try {
            SmsOutboxRepository.queue(tx, market.code(), e164Phone, market.smsProvider(), text);
        } catch (RuntimeException e) {
            // the driver's message may quote the failing row, code included: log the SQLSTATE only
            LOG.log(System.Logger.Level.ERROR, "Could not queue an SMS in market " + market.code()
                    + " (SQLSTATE " + sqlState(e) + ")");
            throw new SmsException(market.code());
        }
    }

    private static String sqlState(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.sql.SQLException s) {
                return s.getSQLState();
            }
        }
        return "-";
    }
}
