-- The two markets the platform opens with. Adding a market is data: a row here and one in
-- order_counters (see db-policies/README.md, "Adding a market").
insert into markets (code, name, currency, timezone, phone_region, calling_code, locale,
                     sms_provider, payment_gateway, delivery_service, position)
values ('KG', 'Kyrgyzstan', 'KGS', 'Asia/Bishkek', 'KG', '996', 'ru-KG', 'nikita', 'mbank', 'kyrgyzpost', 1),
       ('US', 'United States', 'USD', 'America/New_York', 'US', '1', 'en-US', 'twilio', 'stripe', 'usps', 2);

insert into order_counters (market) select code from markets;
