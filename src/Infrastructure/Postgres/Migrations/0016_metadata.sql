-- Metadata (Stripe's convention): the merchant's own key-value pairs, a JSON object of strings (at most 50 keys,
-- keys up to 40 characters without '[' or ']', values up to 500), set when the object is created and never changed.
-- NULL when the object has none, and for every row written before this migration. A refund's metadata lives in its
-- element of payments.refunds (jsonb already), so it needs no column.
-- Nullable columns without a default and without a CHECK: each ALTER changes only the catalogue, so it neither
-- rewrites nor scans the (partitioned) payments table. The edge validates metadata; the stores write only objects.
ALTER TABLE payments ADD COLUMN metadata jsonb;
ALTER TABLE wallet_operations ADD COLUMN metadata jsonb;
ALTER TABLE wallet_holds ADD COLUMN metadata jsonb;
