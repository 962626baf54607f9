-- market-backend schema. Tables, keys, constraints and indexes only.
-- Who may see and write which rows lives in db-policies/ (repeatable migrations R__*.sql).
--
-- Conventions:
--  * every table with market data has a `market` column; RLS filters on it;
--  * child rows repeat their parent's market and a composite foreign key (parent_id, market)
--    makes a market mismatch between parent and child impossible, whoever writes;
--  * indexes that serve a policy predicate lead with `market`.

create schema app;

-- Reference data: one row per market. Holds no market-private data, so it has no RLS
-- (listed as a reference table in db-policies/README.md and in the audit allow-list).
create table markets (
    code             text primary key check (code ~ '^[A-Z]{2}$'),
    name             text not null,
    currency         char(3) not null check (currency ~ '^[A-Z]{3}$'),
    timezone         text not null,
    phone_region     char(2) not null,
    calling_code     text not null check (calling_code ~ '^[0-9]{1,3}$'),
    locale           text not null,
    sms_provider     text not null,
    payment_gateway  text not null,
    delivery_service text not null,
    is_active        boolean not null default true,
    position         integer not null default 0,
    unique (code, currency)
);

-- Per-market order number counters (KG-000123). One row per market.
create table order_counters (
    market      text primary key references markets (code),
    last_number bigint not null default 0 check (last_number >= 0)
);

create table users (
    id         bigint generated always as identity primary key,
    market     text not null references markets (code),
    phone      text not null unique check (phone ~ '^\+[1-9][0-9]{6,14}$'),
    name       text check (char_length(name) <= 200),
    created_at timestamptz not null default now(),
    unique (id, market)
);
create index users_market_idx on users (market, id);

create table verification_codes (
    id          bigint generated always as identity primary key,
    market      text not null references markets (code),
    phone       text not null check (phone ~ '^\+[1-9][0-9]{6,14}$'),
    code_hash   text not null,
    attempts    integer not null default 0 check (attempts >= 0),
    expires_at  timestamptz not null,
    consumed_at timestamptz,
    client_ip   text,
    created_at  timestamptz not null default now()
);
create index verification_codes_market_phone_idx on verification_codes (market, phone, created_at desc);

create table sms_outbox (
    id         bigint generated always as identity primary key,
    market     text not null references markets (code),
    phone      text not null,
    provider   text not null,
    body       text not null,
    created_at timestamptz not null default now()
);
create index sms_outbox_market_idx on sms_outbox (market, created_at desc);

create table addresses (
    id               bigint generated always as identity primary key,
    user_id          bigint not null,
    market           text not null,
    line1            text not null check (char_length(line1) between 1 and 200),
    line2            text check (char_length(line2) <= 200),
    city             text not null check (char_length(city) between 1 and 100),
    region           text not null check (char_length(region) between 1 and 100),
    postal_code      text not null check (char_length(postal_code) between 1 and 20),
    delivery_service text not null,
    created_at       timestamptz not null default now(),
    foreign key (user_id, market) references users (id, market) on delete cascade,
    unique (id, user_id)
);
create index addresses_market_user_idx on addresses (market, user_id);
create index addresses_user_idx on addresses (user_id, market);

create table payment_methods (
    id         bigint generated always as identity primary key,
    user_id    bigint not null,
    market     text not null,
    gateway    text not null,
    token      text not null check (char_length(token) between 1 and 200),
    brand      text not null check (char_length(brand) between 1 and 30),
    last4      char(4) not null check (last4 ~ '^[0-9]{4}$'),
    exp_month  smallint not null check (exp_month between 1 and 12),
    exp_year   smallint not null check (exp_year between 2000 and 2100),
    created_at timestamptz not null default now(),
    foreign key (user_id, market) references users (id, market) on delete cascade,
    unique (id, user_id)
);
create index payment_methods_market_user_idx on payment_methods (market, user_id);
create index payment_methods_user_idx on payment_methods (user_id, market);

create table notifications (
    id         bigint generated always as identity primary key,
    user_id    bigint not null,
    market     text not null,
    locale     text not null,
    title      text not null,
    body       text not null,
    read_at    timestamptz,
    created_at timestamptz not null default now(),
    foreign key (user_id, market) references users (id, market) on delete cascade
);
create index notifications_market_user_idx on notifications (market, user_id, created_at desc);
create index notifications_user_idx on notifications (user_id, market);

-- Catalog rows belong to one market or to 'ALL' (sold everywhere).
create table categories (
    id         bigint generated always as identity primary key,
    market     text not null check (market = 'ALL' or market ~ '^[A-Z]{2}$'),
    parent_id  bigint references categories (id),
    name       text not null check (char_length(name) between 1 and 200),
    position   integer not null default 0,
    is_active  boolean not null default true,
    created_at timestamptz not null default now()
);
create index categories_market_idx on categories (market, position, id);
create index categories_parent_idx on categories (parent_id);

create table products (
    id          bigint generated always as identity primary key,
    market      text not null check (market = 'ALL' or market ~ '^[A-Z]{2}$'),
    category_id bigint references categories (id),
    name        text not null check (char_length(name) between 1 and 300),
    description text check (char_length(description) <= 10000),
    stock       integer not null default 0 check (stock >= 0),
    in_stock    boolean generated always as (stock > 0) stored,
    is_active   boolean not null default true,
    created_at  timestamptz not null default now(),
    updated_at  timestamptz not null default now()
);
create index products_market_idx on products (market, id);
create index products_market_category_idx on products (market, category_id, id);
create index products_category_idx on products (category_id);

-- One price per product and selling market, in that market's currency.
-- A KG product has one row (KG); an ALL product has one row per market.
create table product_prices (
    product_id bigint not null references products (id) on delete cascade,
    market     text not null,
    price      numeric(12, 2) not null check (price >= 0),
    currency   char(3) not null,
    primary key (product_id, market),
    foreign key (market, currency) references markets (code, currency)
);
create index product_prices_market_idx on product_prices (market, product_id);
create index product_prices_market_currency_idx on product_prices (market, currency);

create table banners (
    id         bigint generated always as identity primary key,
    market     text not null check (market = 'ALL' or market ~ '^[A-Z]{2}$'),
    title      text not null check (char_length(title) between 1 and 200),
    image_url  text not null check (char_length(image_url) between 1 and 1000),
    link_url   text check (char_length(link_url) <= 1000),
    position   integer not null default 0,
    is_active  boolean not null default true,
    starts_at  timestamptz,
    ends_at    timestamptz,
    created_at timestamptz not null default now(),
    check (ends_at is null or starts_at is null or ends_at > starts_at)
);
create index banners_market_idx on banners (market, position, id);

create table carts (
    id         bigint generated always as identity primary key,
    user_id    bigint not null unique,
    market     text not null,
    created_at timestamptz not null default now(),
    foreign key (user_id, market) references users (id, market) on delete cascade
);
create index carts_market_user_idx on carts (market, user_id);

-- Cart and wishlist items inherit their market through the cart / wishlist.
create table cart_items (
    id         bigint generated always as identity primary key,
    cart_id    bigint not null references carts (id) on delete cascade,
    product_id bigint not null references products (id) on delete cascade,
    quantity   integer not null check (quantity between 1 and 1000),
    created_at timestamptz not null default now(),
    unique (cart_id, product_id)
);
create index cart_items_product_idx on cart_items (product_id);

create table wishlists (
    id         bigint generated always as identity primary key,
    user_id    bigint not null unique,
    market     text not null,
    created_at timestamptz not null default now(),
    foreign key (user_id, market) references users (id, market) on delete cascade
);
create index wishlists_market_user_idx on wishlists (market, user_id);

create table wishlist_items (
    id          bigint generated always as identity primary key,
    wishlist_id bigint not null references wishlists (id) on delete cascade,
    product_id  bigint not null references products (id) on delete cascade,
    created_at  timestamptz not null default now(),
    unique (wishlist_id, product_id)
);
create index wishlist_items_product_idx on wishlist_items (product_id);

create table orders (
    id                bigint generated always as identity primary key,
    market            text not null,
    user_id           bigint not null,
    order_number      text not null,
    status            text not null default 'pending'
                      check (status in ('pending', 'confirmed', 'shipped', 'delivered', 'cancelled')),
    total_amount      numeric(12, 2) not null check (total_amount >= 0),
    currency          char(3) not null,
    address_id        bigint,
    payment_method_id bigint,
    shipping_address  jsonb,
    idempotency_key   text check (char_length(idempotency_key) between 1 and 200),
    order_date        timestamptz not null default now(),
    updated_at        timestamptz not null default now(),
    foreign key (user_id, market) references users (id, market),
    foreign key (market, currency) references markets (code, currency),
    -- an order may only point at the buyer's own address and payment method
    foreign key (address_id, user_id) references addresses (id, user_id) on delete set null (address_id),
    foreign key (payment_method_id, user_id) references payment_methods (id, user_id) on delete set null (payment_method_id),
    unique (market, order_number),
    unique (user_id, idempotency_key),
    unique (id, market)
);
create index orders_market_date_idx on orders (market, order_date desc);
create index orders_market_user_idx on orders (market, user_id, order_date desc);
create index orders_market_status_idx on orders (market, status, order_date desc);
create index orders_address_idx on orders (address_id, user_id);
create index orders_payment_method_idx on orders (payment_method_id, user_id);

create table order_items (
    id           bigint generated always as identity primary key,
    order_id     bigint not null,
    market       text not null,
    product_id   bigint references products (id) on delete set null,
    product_name text not null,
    quantity     integer not null check (quantity > 0),
    unit_price   numeric(12, 2) not null check (unit_price >= 0),
    line_total   numeric(12, 2) not null check (line_total >= 0),
    foreign key (order_id, market) references orders (id, market) on delete cascade
);
create index order_items_market_order_idx on order_items (market, order_id);
create index order_items_order_idx on order_items (order_id, market);
create index order_items_product_idx on order_items (product_id);

create table revenue_snapshots (
    id                  bigint generated always as identity primary key,
    market              text not null,
    date                date not null,
    currency            char(3) not null,
    total_revenue       numeric(14, 2) not null check (total_revenue >= 0),
    total_orders        integer not null check (total_orders >= 0),
    average_order_value numeric(12, 2) not null check (average_order_value >= 0),
    computed_at         timestamptz not null default now(),
    foreign key (market, currency) references markets (code, currency),
    unique (market, date)
);

create table store_managers (
    user_id    bigint primary key references users (id) on delete cascade,
    role       text not null default 'manager' check (role in ('manager', 'admin')),
    created_at timestamptz not null default now()
);

-- The markets a manager may manage (the seed's can_manage_kg / can_manage_us, one row per market).
create table store_manager_markets (
    user_id bigint not null references store_managers (user_id) on delete cascade,
    market  text not null references markets (code),
    primary key (user_id, market)
);
create index store_manager_markets_market_idx on store_manager_markets (market, user_id);

create table manager_settings (
    user_id       bigint primary key references store_managers (user_id) on delete cascade,
    active_market text references markets (code),
    updated_at    timestamptz not null default now()
);
create index manager_settings_active_market_idx on manager_settings (active_market);

-- Append-only record of manager writes.
create table audit_log (
    id         bigint generated always as identity primary key,
    market     text not null references markets (code),
    manager_id bigint not null references users (id),
    action     text not null,
    entity     text not null,
    entity_id  text,
    before     jsonb,
    after      jsonb,
    request_id text,
    created_at timestamptz not null default now()
);
create index audit_log_market_idx on audit_log (market, created_at desc);
create index audit_log_manager_idx on audit_log (manager_id);
