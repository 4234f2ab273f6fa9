-- The Bank's transfer notifications are judged by the wallet whose cash-in or cash-out they answer (docs/psp-webhooks.md,
-- "Processing"): one that contradicts the operation (booked for one we recorded as declined, rejected for one we
-- booked, another amount or currency) is a discrepancy like a card PSP's about a payment. Its subject is the wallet and
-- the operation (the transfer_ref we sent the Bank is the operation id), so payment_id may now be NULL; payment_state
-- holds the operation's state for those rows. Exactly one subject: a payment, or a wallet with its operation.
-- No new index for finding the wallet: the transfer_ref is wallet_operations' primary key.
ALTER TABLE psp_discrepancies ALTER COLUMN payment_id DROP NOT NULL;
ALTER TABLE psp_discrepancies ADD COLUMN wallet_id text;
ALTER TABLE psp_discrepancies ADD COLUMN operation_id uuid;
ALTER TABLE psp_discrepancies ADD CONSTRAINT psp_discrepancies_one_subject CHECK (
    (payment_id IS NOT NULL AND wallet_id IS NULL AND operation_id IS NULL)
    OR (payment_id IS NULL AND wallet_id IS NOT NULL AND operation_id IS NOT NULL));

CREATE INDEX psp_discrepancies_operation ON psp_discrepancies (operation_id) WHERE operation_id IS NOT NULL;
