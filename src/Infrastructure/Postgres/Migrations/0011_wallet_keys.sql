-- One Idempotency-Key names one request of a merchant, whether a payment or a wallet operation: wallet
-- operations claim their key here too, with no payment, so a key reused across the two is refused by this
-- table's primary key even when Redis has forgotten it. The wallet's own record (and replay) stays in
-- wallet_operations.
ALTER TABLE idempotency_keys ALTER COLUMN payment_id DROP NOT NULL;
ALTER TABLE idempotency_keys DROP CONSTRAINT idempotency_keys_operation_known;
ALTER TABLE idempotency_keys ADD CONSTRAINT idempotency_keys_operation_known
    CHECK (operation IN ('create', 'capture', 'void', 'refund', 'wallet'));
ALTER TABLE idempotency_keys ADD CONSTRAINT idempotency_keys_payment_named
    CHECK ((payment_id IS NULL) = (operation = 'wallet'));
