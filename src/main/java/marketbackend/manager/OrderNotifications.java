package marketbackend.manager;

import java.util.Locale;
import java.util.Map;

import marketbackend.customer.NotificationRepository;

/**
 * What a customer is told when a manager moves their order, in the language of the order's market
 * ({@code markets.locale}: ru-KG → Russian, en-US → English). Unknown languages get English.
 */
final class OrderNotifications {
    private static final Map<String, Map<String, String[]>> TEXTS = Map.of(
            "ru", Map.of(
                    "confirmed", new String[] {"Заказ %s подтверждён", "Мы подтвердили ваш заказ %s и готовим его к отправке."},
                    "shipped", new String[] {"Заказ %s отправлен", "Ваш заказ %s передан в службу доставки."},
                    "delivered", new String[] {"Заказ %s доставлен", "Ваш заказ %s доставлен. Спасибо за покупку!"},
                    "cancelled", new String[] {"Заказ %s отменён", "Ваш заказ %s отменён. Если вы его оплатили, деньги вернутся."}),
            "en", Map.of(
                    "confirmed", new String[] {"Order %s confirmed", "We have confirmed your order %s and are preparing it."},
                    "shipped", new String[] {"Order %s shipped", "Your order %s is on its way."},
                    "delivered", new String[] {"Order %s delivered", "Your order %s has been delivered. Thank you!"},
                    "cancelled", new String[] {"Order %s cancelled", "Your order %s has been cancelled. Any payment will be refunded."}));

    private OrderNotifications() {
    }

    /** @param locale the market's locale tag, e.g. "ru-KG" */
    static NotificationRepository.Text of(String locale, String status, String orderNumber) {
        String language = Locale.forLanguageTag(locale == null ? "en" : locale).getLanguage();
        Map<String, String[]> texts = TEXTS.getOrDefault(language, TEXTS.get("en"));
        String[] t = texts.get(status);
        if (t == null) {
            throw new IllegalArgumentException("No notification for status " + status);
        }
        return new NotificationRepository.Text(String.format(t[0], orderNumber), String.format(t[1], orderNumber));
    }
}
