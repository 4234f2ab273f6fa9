-- Reconciliation breaks: where we, the PSP and the ledger disagree. A matcher opens one per disagreement (dedupe_key:
-- the same disagreement found again is the same break); operators work them off through a lifecycle
-- open -> acknowledged -> resolved or written_off, every step with who, when and why in an append-only trail.
CREATE TABLE reconciliation_breaks (
    id                uuid        NOT NULL,
    dedupe_key        text        NOT NULL,
    kind              text        NOT NULL,
    psp               text        NOT NULL,
    payment_id        uuid,
    psp_reference     text,
    value_date        date,
    expected_minor    bigint,
    actual_minor      bigint,
    currency          char(3),
    detail            text        NOT NULL,
    status            text        NOT NULL DEFAULT 'open',
    opened_at         timestamptz NOT NULL,
    updated_at        timestamptz NOT NULL,
    closed_at         timestamptz,
    closed_by         text,
    resolution_reason text,
    CONSTRAINT reconciliation_breaks_pk PRIMARY KEY (id),
    CONSTRAINT reconciliation_breaks_dedupe_uq UNIQUE (dedupe_key),
    CONSTRAINT reconciliation_breaks_kind_known CHECK (kind IN (
        'missing_at_psp', 'missing_in_platform', 'amount_mismatch', 'currency_mismatch', 'duplicate', 'status_mismatch',
        'confirmation_overdue')),
    CONSTRAINT reconciliation_breaks_status_known CHECK (status IN ('open', 'acknowledged', 'resolved', 'written_off')),
    CONSTRAINT reconciliation_breaks_closed_with_reason CHECK (
        (status IN ('resolved', 'written_off')) = (closed_at IS NOT NULL AND closed_by IS NOT NULL AND resolution_reason IS NOT NULL))
);

CREATE INDEX reconciliation_breaks_open ON reconciliation_breaks (opened_at) WHERE status IN ('open', 'acknowledged');
CREATE INDEX reconciliation_breaks_listed ON reconciliation_breaks (opened_at DESC, id DESC);
CREATE INDEX reconciliation_breaks_payment ON reconciliation_breaks (payment_id) WHERE payment_id IS NOT NULL;

-- Every step of every break, never changed afterwards.
CREATE TABLE reconciliation_break_events (
    id          bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    break_id    uuid        NOT NULL REFERENCES reconciliation_breaks (id),
    action      text        NOT NULL,
    from_status text,
    to_status   text        NOT NULL,
    actor       text        NOT NULL,
    reason      text,
    at          timestamptz NOT NULL
);

CREATE INDEX reconciliation_break_events_break ON reconciliation_break_events (break_id, id);

CREATE FUNCTION reconciliation_break_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'reconciliation_break_events is append-only: % refused', TG_OP;
END;
$$;

CREATE TRIGGER reconciliation_break_events_no_update BEFORE UPDATE OR DELETE ON reconciliation_break_events
    FOR EACH ROW EXECUTE FUNCTION reconciliation_break_events_append_only();
CREATE TRIGGER reconciliation_break_events_no_truncate BEFORE TRUNCATE ON reconciliation_break_events
    FOR EACH STATEMENT EXECUTE FUNCTION reconciliation_break_events_append_only();
