package marketbackend.order;

import java.util.Locale;

import marketbackend.customer.NotificationRepository;
import marketbackend.market.Market;

/** The order notification in the market's language ({@code markets.locale}); English by default. */
final class OrderTexts {
    private OrderTexts() {
    }

    static NotificationRepository.Text placed(Market market, String orderNumber, String total, String currency) {
        String language = Locale.forLanguageTag(market.locale()).getLanguage();
        return switch (language) {
            case "ru" -> new NotificationRepository.Text("Заказ " + orderNumber + " оформлен",
                    "Спасибо за покупку! Заказ " + orderNumber + " на сумму " + total + " " + currency
                            + " принят и ожидает подтверждения.");
            default -> new NotificationRepository.Text("Order " + orderNumber + " placed",
                    "Thank you! We received order " + orderNumber + " for " + total + " " + currency
                            + "; it is awaiting confirmation.");
        };
    }
}
