-- Deadlines of a payment: an authorisation not captured by authorization_expires_at is voided by the platform (the
-- payment's reminder; the pending sweeper finds any it missed through the partial index).
ALTER TABLE payments ADD COLUMN authorization_expires_at timestamptz;
CREATE INDEX payments_authorization_expiry ON payments (authorization_expires_at) WHERE authorization_expires_at IS NOT NULL;

-- Disputes (chargebacks). The payment grain decides them and keeps them on its row (payments.disputes, like refunds),
-- and writes each change to the disputes table in the same transaction: the table is what GET /v1/disputes pages
-- through, per merchant, newest first. One dispute per PSP dispute id, however often the PSP notifies.
ALTER TABLE payments ADD COLUMN disputes jsonb NOT NULL DEFAULT '[]';

CREATE TABLE disputes (
    id              uuid        NOT NULL,
    merchant_id     text        NOT NULL,
    payment_id      uuid        NOT NULL,
    psp             text        NOT NULL,
    psp_reference   text        NOT NULL,
    amount_minor    bigint      NOT NULL,
    currency        char(3)     NOT NULL,
    status          text        NOT NULL,
    reason          text,
    evidence_due_by timestamptz,
    created_at      timestamptz NOT NULL,
    updated_at      timestamptz NOT NULL,
    closed_at       timestamptz,
    CONSTRAINT disputes_pk PRIMARY KEY (id),
    CONSTRAINT disputes_psp_reference_uq UNIQUE (psp, psp_reference),
    CONSTRAINT disputes_amount_positive CHECK (amount_minor > 0),
    CONSTRAINT disputes_status_known CHECK (status IN ('needs_response', 'won', 'lost')),
    CONSTRAINT disputes_closed_when_decided CHECK ((status = 'needs_response') = (closed_at IS NULL))
);

CREATE INDEX disputes_merchant_created ON disputes (merchant_id, created_at DESC, id DESC);
CREATE INDEX disputes_payment ON disputes (payment_id);
