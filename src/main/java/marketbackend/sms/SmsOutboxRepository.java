package marketbackend.sms;

import marketbackend.db.Tx;

/**
 * The server's home of {@code sms_outbox}: one queued message per row, in the caller's transaction.
 * Its policy lets a login transaction queue messages only to the phone it logs in with, in its market.
 */
final class SmsOutboxRepository {
    private SmsOutboxRepository() {
    }

    static void queue(Tx tx, String market, String e164Phone, String provider, String body) {
        tx.dml("INSERT INTO sms_outbox (market, phone, provider, body) VALUES (?, ?, ?, ?)",
                market, e164Phone, provider, body);
    }
}
