-- Wallets (seed §1 Wallet, ARCHITECTURE.md §2): balances, holds and the operations that move them.
-- The wallet grain is the lock; these constraints are the last line of defence when Orleans briefly
-- runs two activations of one wallet: no balance can go negative, whatever the code does.

CREATE TABLE wallets (
    wallet_uid      uuid        NOT NULL PRIMARY KEY,
    merchant_id     text        NOT NULL,
    wallet_id       text        NOT NULL,
    currency        char(3)     NOT NULL,
    available_minor bigint      NOT NULL,
    held_minor      bigint      NOT NULL,
    version         integer     NOT NULL,
    created_at      timestamptz NOT NULL,
    updated_at      timestamptz NOT NULL,
    CONSTRAINT wallets_merchant_wallet UNIQUE (merchant_id, wallet_id),
    CONSTRAINT wallets_balances_non_negative CHECK (available_minor >= 0 AND held_minor >= 0),
    CONSTRAINT wallets_version_positive CHECK (version > 0)
);

-- A reservation of part of the available balance. hold_id is the payment id for a wallet payment.
CREATE TABLE wallet_holds (
    wallet_uid     uuid        NOT NULL REFERENCES wallets (wallet_uid),
    hold_id        uuid        NOT NULL,
    amount_minor   bigint      NOT NULL,
    captured_minor bigint      NOT NULL DEFAULT 0,
    state          text        NOT NULL,
    payment_id     uuid,
    expires_at     timestamptz,
    created_at     timestamptz NOT NULL,
    updated_at     timestamptz NOT NULL,
    CONSTRAINT wallet_holds_pk PRIMARY KEY (wallet_uid, hold_id),
    CONSTRAINT wallet_holds_amounts CHECK (amount_minor > 0 AND captured_minor >= 0 AND captured_minor <= amount_minor),
    CONSTRAINT wallet_holds_state_known CHECK (state IN ('HELD', 'CAPTURED', 'RELEASED', 'EXPIRED'))
);

CREATE INDEX wallet_holds_held ON wallet_holds (wallet_uid) WHERE state = 'HELD';

-- Every operation on a wallet, with its idempotency record: the merchant's key and request
-- fingerprint (null for operations a payment drives, which are idempotent on request_id), our
-- request id at the Bank or the payment's, and once finished the answer every replay returns.
CREATE TABLE wallet_operations (
    operation_id     uuid        NOT NULL PRIMARY KEY,
    wallet_uid       uuid        NOT NULL REFERENCES wallets (wallet_uid),
    merchant_id      text        NOT NULL,
    kind             text        NOT NULL,
    idempotency_key  text,
    fingerprint_hash bytea,
    request_id       text        NOT NULL,
    amount_minor     bigint      NOT NULL,
    currency         char(3)     NOT NULL,
    state            text        NOT NULL,
    hold_id          uuid,
    bank_reference   text,
    decline_code     text,
    result           bytea,
    created_at       timestamptz NOT NULL,
    updated_at       timestamptz NOT NULL,
    CONSTRAINT wallet_operations_key UNIQUE (merchant_id, idempotency_key),
    CONSTRAINT wallet_operations_request UNIQUE (wallet_uid, request_id),
    CONSTRAINT wallet_operations_amount_positive CHECK (amount_minor > 0),
    CONSTRAINT wallet_operations_kind_known CHECK (kind IN ('cashin', 'cashout', 'hold', 'capture', 'release',
        'payment_authorize', 'payment_capture', 'payment_void', 'payment_refund')),
    CONSTRAINT wallet_operations_state_known CHECK (state IN ('PENDING', 'SUCCEEDED', 'DECLINED', 'FAILED'))
);

CREATE INDEX wallet_operations_pending ON wallet_operations (wallet_uid) WHERE state = 'PENDING';

-- A payment paid from a wallet names it; null for card payments.
ALTER TABLE payments ADD COLUMN wallet_id text;
