-- V12: an order item holds 1 to 1000 of its product, like a cart line (cart_items): the API's cap
-- holds for an item written by hand too (db-policies/R__50_orders.sql prices every request's item).
alter table order_items drop constraint order_items_quantity_check;
alter table order_items add constraint order_items_quantity_check check (quantity between 1 and 1000);
