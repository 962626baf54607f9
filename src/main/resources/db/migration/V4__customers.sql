-- V4: customer checkout.
--
-- An order placed with an Idempotency-Key remembers a fingerprint of the request it answered
-- (SHA-256 hex of address_id and payment_method_id), so that the same key sent again with a
-- different body is refused instead of silently answered with the first order. The key itself is
-- already unique per user (orders_user_id_idempotency_key_key).
alter table orders
    add column request_fingerprint text check (request_fingerprint ~ '^[0-9a-f]{64}$');
