-- PSP notifications that contradict what a payment says (docs/psp-webhooks.md, "Processing"): the PSP says it
-- authorised a payment we declined, captured one we voided, refunded something we never asked for. Nothing about the
-- payment changes; the row is what reconciliation works off, and the processing metric pages meanwhile.
-- One row per notification: the consumer may see a notification again after a redelivery.
CREATE TABLE psp_discrepancies (
    id                uuid        PRIMARY KEY,
    provider          text        NOT NULL,
    provider_event_id text        NOT NULL,
    notification_id   uuid        NOT NULL,
    payment_id        uuid        NOT NULL,
    kind              text        NOT NULL,
    payment_state     text        NOT NULL,
    amount_minor      bigint,
    currency          char(3),
    detail            text        NOT NULL,
    detected_at       timestamptz NOT NULL,
    resolved_at       timestamptz,
    resolution        text,
    CONSTRAINT psp_discrepancies_notification_uq UNIQUE (provider, provider_event_id),
    CONSTRAINT psp_discrepancies_amount_positive CHECK (amount_minor IS NULL OR amount_minor > 0)
);

CREATE INDEX psp_discrepancies_open ON psp_discrepancies (detected_at) WHERE resolved_at IS NULL;
CREATE INDEX psp_discrepancies_payment ON psp_discrepancies (payment_id);
