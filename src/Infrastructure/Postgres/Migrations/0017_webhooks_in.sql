-- PSP notifications as taken in by webhook ingest (docs/psp-webhooks.md), and the deliveries it refused.
--
-- webhooks_in is partitioned by month on received_at, like payments. A unique constraint on a partitioned table must
-- contain the partition key, so "(provider, provider_event_id) is unique" cannot be a constraint of webhooks_in itself
-- (it would only be unique per month). Dedupe lives in webhooks_in_keys, a plain table whose primary key is exactly
-- (provider, provider_event_id), written in the same transaction as the notification's row. A foreign key from
-- webhooks_in to it on (provider, provider_event_id, received_at), with webhooks_in's primary key on the same three
-- columns, makes the database itself refuse a second row for an event in any partition: every row must match the one
-- keys row of its event, so two rows of one event would share their primary key.

CREATE TABLE webhooks_in_keys (
    provider          text        NOT NULL,
    provider_event_id text        NOT NULL,
    notification_id   uuid        NOT NULL,
    received_at       timestamptz NOT NULL,
    CONSTRAINT webhooks_in_keys_pk PRIMARY KEY (provider, provider_event_id),
    CONSTRAINT webhooks_in_keys_notification UNIQUE (notification_id),
    CONSTRAINT webhooks_in_keys_row UNIQUE (provider, provider_event_id, received_at)
);

CREATE TABLE webhooks_in (
    provider            text        NOT NULL,
    provider_event_id   text        NOT NULL,
    received_at         timestamptz NOT NULL,
    notification_id     uuid        NOT NULL,
    -- The normalised notification (PspNotification); all null when the body could not be parsed (parse_error says why).
    kind                text,
    payment_id          uuid,
    transfer_ref        text,
    psp_reference       text,
    operation_reference text,
    amount_minor        bigint,
    currency            char(3),
    reason              text,
    dispute_outcome     text,
    dispute_due_by      timestamptz,
    occurred_at         timestamptz,
    parse_error         text,
    -- The raw body, byte for byte, is in the blob store under blob_key; it was stored before this row was committed.
    blob_key            text        NOT NULL,
    body_sha256         text        NOT NULL,
    body_bytes          integer     NOT NULL,
    CONSTRAINT webhooks_in_pk PRIMARY KEY (provider, provider_event_id, received_at),
    CONSTRAINT webhooks_in_key FOREIGN KEY (provider, provider_event_id, received_at)
        REFERENCES webhooks_in_keys (provider, provider_event_id, received_at),
    CONSTRAINT webhooks_in_provider_known CHECK (provider IN ('psp-a', 'psp-b', 'bank')),
    CONSTRAINT webhooks_in_parsed_or_not CHECK ((parse_error IS NULL) = (kind IS NOT NULL AND occurred_at IS NOT NULL)),
    CONSTRAINT webhooks_in_kind_known CHECK (kind IN ('authorized', 'captured', 'voided', 'declined', 'refunded', 'capture_settled',
        'dispute_opened', 'dispute_closed', 'transfer_booked', 'transfer_rejected')),
    CONSTRAINT webhooks_in_amount_not_negative CHECK (amount_minor >= 0),
    CONSTRAINT webhooks_in_body_sha256_hex CHECK (body_sha256 ~ '^[0-9a-f]{64}$'),
    CONSTRAINT webhooks_in_body_bytes CHECK (body_bytes >= 0)
) PARTITION BY RANGE (received_at);

CREATE INDEX webhooks_in_payment ON webhooks_in (payment_id, received_at) WHERE payment_id IS NOT NULL;
CREATE INDEX webhooks_in_unparseable ON webhooks_in (received_at) WHERE parse_error IS NOT NULL;

-- The current month and the ones ahead; the silo's maintenance service keeps creating them (StorageMaintenance).
SELECT ensure_monthly_partitions('webhooks_in', 3);

-- Deliveries the edge refused after they came from an allowed source: bad or missing signature, timestamp out of
-- tolerance, body too large. Never the body: only its SHA-256 (null when it was not read to its end) and size.
CREATE TABLE webhooks_rejected (
    id             bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    provider       text        NOT NULL,
    reason         text        NOT NULL,
    remote_address inet,
    body_sha256    text,
    body_bytes     bigint      NOT NULL,
    headers        jsonb       NOT NULL,
    rejected_at    timestamptz NOT NULL,
    CONSTRAINT webhooks_rejected_reason_known CHECK (reason IN ('signature_invalid', 'timestamp_out_of_tolerance', 'body_too_large')),
    CONSTRAINT webhooks_rejected_body_sha256_hex CHECK (body_sha256 ~ '^[0-9a-f]{64}$')
);

CREATE INDEX webhooks_rejected_at ON webhooks_rejected (rejected_at);
