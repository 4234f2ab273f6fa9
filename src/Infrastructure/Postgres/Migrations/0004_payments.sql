-- Payments, idempotency records and the transactional outbox (seed §3.3, ARCHITECTURE.md §3).
-- Money invariants are enforced here as well as in code: Orleans can briefly run two activations
-- of one grain, and the database is the last line of defence.

CREATE TABLE payments (
    id               uuid        NOT NULL,
    merchant_id      text        NOT NULL,
    amount_minor     bigint      NOT NULL,
    currency         char(3)     NOT NULL,
    state            text        NOT NULL,
    capture          boolean     NOT NULL,
    authorized_minor bigint      NOT NULL DEFAULT 0,
    captured_minor   bigint      NOT NULL DEFAULT 0,
    refunded_minor   bigint      NOT NULL DEFAULT 0,
    psp              text        NOT NULL,
    psp_ref          text,
    decline_code     text,
    failure_reason   text,
    card_brand       text        NOT NULL,
    card_last4       text        NOT NULL,
    reference        text,
    description      text,
    pending          jsonb,
    refunds          jsonb       NOT NULL DEFAULT '[]',
    idempotency_key  text        NOT NULL,
    fingerprint_hash bytea       NOT NULL,
    version          integer     NOT NULL,
    -- created_at is the UUIDv7 timestamp of id, so a lookup by id can name its partition.
    created_at       timestamptz NOT NULL,
    updated_at       timestamptz NOT NULL,
    CONSTRAINT payments_pk PRIMARY KEY (id, created_at),
    CONSTRAINT payments_amount_positive CHECK (amount_minor > 0),
    CONSTRAINT payments_amounts_ordered CHECK (
        authorized_minor >= 0 AND captured_minor >= 0 AND refunded_minor >= 0
        AND authorized_minor <= amount_minor
        AND captured_minor <= authorized_minor
        AND refunded_minor <= captured_minor),
    CONSTRAINT payments_state_known CHECK (state IN
        ('INITIATED', 'AUTHORIZED', 'CAPTURED', 'DECLINED', 'FAILED', 'REFUNDED', 'REVERSED')),
    CONSTRAINT payments_version_positive CHECK (version > 0)
) PARTITION BY RANGE (created_at);

CREATE INDEX payments_merchant_created ON payments (merchant_id, created_at DESC, id DESC);
CREATE INDEX payments_state_created ON payments (state, created_at);
CREATE INDEX payments_idem ON payments (idempotency_key, fingerprint_hash);

-- Monthly partitions, created ahead of time by the silo's maintenance service (and here, for the
-- first months). There is deliberately no default partition: a row outside every partition is a bug
-- we want to hear about, not a partition we can never split again.
CREATE FUNCTION ensure_monthly_partitions(parent text, months_ahead integer) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    month_start date := date_trunc('month', now() AT TIME ZONE 'UTC')::date - interval '1 month';
    i integer;
    part text;
BEGIN
    FOR i IN 0..months_ahead + 1 LOOP
        part := format('%s_%s', parent, to_char(month_start + make_interval(months => i), 'YYYY_MM'));
        IF to_regclass(part) IS NULL THEN
            EXECUTE format(
                'CREATE TABLE %I PARTITION OF %I FOR VALUES FROM (%L) TO (%L)',
                part, parent,
                (month_start + make_interval(months => i))::timestamp AT TIME ZONE 'UTC',
                (month_start + make_interval(months => i + 1))::timestamp AT TIME ZONE 'UTC');
        END IF;
    END LOOP;
END $$;

SELECT ensure_monthly_partitions('payments', 3);

-- One row per (merchant, Idempotency-Key): which operation on which payment it named, its request
-- fingerprint, and once finished the result that every replay returns. TTL 72 h (expires_at).
CREATE TABLE idempotency_keys (
    merchant_id      text        NOT NULL,
    key              text        NOT NULL,
    fingerprint_hash bytea       NOT NULL,
    operation        text        NOT NULL,
    payment_id       uuid        NOT NULL,
    result_code      text,
    response         bytea,
    body_hash        bytea,
    created_at       timestamptz NOT NULL,
    expires_at       timestamptz NOT NULL,
    CONSTRAINT idempotency_keys_pk PRIMARY KEY (merchant_id, key),
    CONSTRAINT idempotency_keys_operation_known CHECK (operation IN ('create', 'capture', 'void', 'refund'))
);

CREATE INDEX idempotency_keys_payment ON idempotency_keys (payment_id);
CREATE INDEX idempotency_keys_expires ON idempotency_keys (expires_at);

-- The transactional outbox: written in the same transaction as the state change it announces.
CREATE TABLE outbox_events (
    id           uuid        NOT NULL PRIMARY KEY,
    agg_type     text        NOT NULL,
    agg_id       uuid        NOT NULL,
    event_type   text        NOT NULL,
    payload      jsonb       NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    published_at timestamptz,
    status       text        NOT NULL DEFAULT 'NEW',
    retry_count  integer     NOT NULL DEFAULT 0,
    last_error   text,
    CONSTRAINT outbox_events_status_known CHECK (status IN ('NEW', 'PUBLISHED', 'FAILED'))
);

CREATE INDEX outbox_events_unpublished ON outbox_events (created_at) WHERE status = 'NEW';
CREATE INDEX outbox_events_aggregate ON outbox_events (agg_id, created_at);
