-- Merchant events and webhooks out (docs/merchant-guide.md, "Webhooks and events"; docs/operations.md, "Webhooks out").

-- What a merchant sees of every payment and wallet change: one row per outbox event, written by the same statement
-- list of the same write unit, with the same id. body is the whole event as GET /v1/events/{id} and the webhook POST
-- send it, rendered once at commit (json keeps the text byte for byte; jsonb would reorder it).
-- created_at is the UUIDv7 time of id, so a lookup by id names its partition. Monthly partitions, created ahead by
-- the maintenance service, which drops a month once its newest event is past the 30-day retention.
CREATE TABLE merchant_events (
    id          uuid        NOT NULL,
    merchant_id text        NOT NULL,
    type        text        NOT NULL,
    created_at  timestamptz NOT NULL,
    body        json        NOT NULL,
    CONSTRAINT merchant_events_pk PRIMARY KEY (id, created_at)
) PARTITION BY RANGE (created_at);

CREATE INDEX merchant_events_merchant_created ON merchant_events (merchant_id, created_at DESC, id DESC);

SELECT ensure_monthly_partitions('merchant_events', 3);

-- Drops the monthly partitions of parent whose upper bound is at or before cutoff (every row older than it): the
-- retention of a partitioned table, without a DELETE. Returns how many it dropped.
CREATE FUNCTION drop_monthly_partitions_before(parent text, cutoff timestamptz) RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
    part record;
    dropped integer := 0;
BEGIN
    FOR part IN
        SELECT c.relname, pg_get_expr(c.relpartbound, c.oid) AS bound
        FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
        WHERE i.inhparent = parent::regclass
    LOOP
        IF substring(part.bound FROM 'TO \(''([^'']+)''\)')::timestamptz <= cutoff THEN
            EXECUTE format('DROP TABLE %I', part.relname);
            dropped := dropped + 1;
        END IF;
    END LOOP;
    RETURN dropped;
END $$;

-- A merchant's webhook endpoints (at most Webhooks:Out:EndpointsPerMerchantMax, enforced by the merchant's grain).
-- enabled_events holds exact types, "<family>.*" or "*". The breaker's state lives here so every silo's dispatcher
-- sees it: consecutive_failures, and breaker_open_until (no attempt before it; then one probe at a time).
-- previous_secret keeps signing next to secret until previous_secret_expires_at (a rotation).
CREATE TABLE webhook_endpoints (
    id                         uuid        PRIMARY KEY,
    merchant_id                text        NOT NULL,
    url                        text        NOT NULL,
    description                text,
    metadata                   jsonb,
    enabled_events             text[]      NOT NULL,
    enabled                    boolean     NOT NULL DEFAULT true,
    disabled_reason            text,
    secret                     text        NOT NULL,
    previous_secret            text,
    previous_secret_expires_at timestamptz,
    consecutive_failures       integer     NOT NULL DEFAULT 0,
    failing_since              timestamptz,
    breaker_open_until         timestamptz,
    created_at                 timestamptz NOT NULL,
    updated_at                 timestamptz NOT NULL,
    CONSTRAINT webhook_endpoints_events_present CHECK (cardinality(enabled_events) > 0)
);

CREATE INDEX webhook_endpoints_merchant ON webhook_endpoints (merchant_id, created_at);

-- One row per (endpoint, event) to send, inserted in the transaction of the event by INSERT ... SELECT over the
-- merchant's enabled endpoints whose enabled_events match (no row when none does). seq is insertion order: an
-- endpoint's deliveries are first sent in it. A dispatcher claims due rows with FOR UPDATE SKIP LOCKED and leases
-- them (next_attempt_at moves past the send's timeout) before it sends, so a crash between send and mark re-sends
-- the same event id. retry_until NULL: created_at + Webhooks:Out:RetryFor; a resend sets it to the resend's time.
CREATE TABLE webhook_deliveries (
    id               uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    seq              bigint      GENERATED ALWAYS AS IDENTITY,
    endpoint_id      uuid        NOT NULL REFERENCES webhook_endpoints (id) ON DELETE CASCADE,
    merchant_id      text        NOT NULL,
    event_id         uuid        NOT NULL,
    event_created_at timestamptz NOT NULL,
    event_type       text        NOT NULL,
    status           text        NOT NULL DEFAULT 'pending',
    attempts         integer     NOT NULL DEFAULT 0,
    next_attempt_at  timestamptz,
    retry_until      timestamptz,
    last_attempt_at  timestamptz,
    last_status_code integer,
    last_error       text,
    delivered_at     timestamptz,
    created_at       timestamptz NOT NULL,
    CONSTRAINT webhook_deliveries_status_known CHECK (status IN ('pending', 'delivered', 'failed')),
    CONSTRAINT webhook_deliveries_pending_scheduled CHECK ((status = 'pending') = (next_attempt_at IS NOT NULL)),
    CONSTRAINT webhook_deliveries_once UNIQUE (endpoint_id, event_id)
);

CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at, seq) WHERE status = 'pending';
CREATE INDEX webhook_deliveries_endpoint ON webhook_deliveries (endpoint_id, seq DESC);
CREATE INDEX webhook_deliveries_created ON webhook_deliveries (created_at);

-- The POSTs on webhook endpoints take Idempotency-Keys like every POST; their stored answer is the key's response.
ALTER TABLE idempotency_keys DROP CONSTRAINT idempotency_keys_operation_known;
ALTER TABLE idempotency_keys ADD CONSTRAINT idempotency_keys_operation_known
    CHECK (operation IN ('create', 'capture', 'void', 'refund', 'wallet', 'webhook_endpoint'));
ALTER TABLE idempotency_keys DROP CONSTRAINT idempotency_keys_payment_named;
ALTER TABLE idempotency_keys ADD CONSTRAINT idempotency_keys_payment_named
    CHECK ((payment_id IS NULL) = (operation IN ('wallet', 'webhook_endpoint')));
