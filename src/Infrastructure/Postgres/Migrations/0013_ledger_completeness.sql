-- Books that are complete, not only balanced. Kafka is a transport: an outbox event marked PUBLISHED may still
-- be lost with a broker's contents, so the silo checks that every event that moves money reached the ledger, and
-- re-publishes (re-drives) the ones that did not.

-- How often an event was re-published because the ledger had not booked it; spaces re-drives out and bounds them.
ALTER TABLE outbox_events ADD COLUMN redrives integer NOT NULL DEFAULT 0;

-- The completeness check walks the outbox in commit order from its watermark.
CREATE INDEX outbox_events_seq ON outbox_events (seq);

-- The (source system, event type) pairs that move money, so must each have a posting. The silo writes the list
-- from its posting rules at start-up; it is a table so that verify also runs from plain SQL (deploy/ledger-verify.sh).
CREATE TABLE ledger_money_event_types (
    source_system text NOT NULL,
    event_type    text NOT NULL,
    CONSTRAINT ledger_money_event_types_pk PRIMARY KEY (source_system, event_type)
);

-- Every money event with seq at or below confirmed_through_seq has its posting. One row; it only moves forward.
CREATE TABLE ledger_completeness (
    singleton             boolean     NOT NULL DEFAULT true PRIMARY KEY CHECK (singleton),
    confirmed_through_seq bigint      NOT NULL DEFAULT 0,
    updated_at            timestamptz NOT NULL DEFAULT now()
);
INSERT INTO ledger_completeness DEFAULT VALUES;

-- What verify reports beyond balance: money events without their posting, payments whose captured or refunded
-- amounts differ from their postings, wallets whose balance differs from their ledger account. Objects changed
-- within the last settle interval are left out: their postings may be on their way through Kafka.
CREATE FUNCTION ledger_completeness_problems(settle interval)
RETURNS TABLE (kind text, event_id uuid, payment_id uuid, wallet_id text, currency char(3), detail text)
LANGUAGE sql STABLE AS $$
    SELECT 'missing_posting', o.id,
           CASE WHEN o.agg_type = 'payment' THEN o.agg_id END,
           o.payload->>'wallet_id', (o.payload->>'currency')::char(3),
           format('%s %s of %s %s (%s %s) has no posting; outbox status %s, re-driven %s times',
                  o.event_type, o.id, o.agg_type, o.agg_id, o.payload->>'amount_minor', o.payload->>'currency', o.status, o.redrives)
      FROM outbox_events o
      JOIN ledger_money_event_types m
        ON m.event_type = o.event_type
       AND m.source_system = CASE o.agg_type WHEN 'payment' THEN 'payments' WHEN 'wallet' THEN 'wallets' END
     WHERE o.created_at < now() - settle
       AND NOT EXISTS (SELECT 1 FROM ledger_entries e WHERE e.source_system = m.source_system AND e.source_event_id = o.id)
    UNION ALL
    SELECT 'payment_mismatch', NULL, p.id, NULL, p.currency,
           format('payment %s is %s with %s captured and %s refunded; its postings capture %s and refund %s',
                  p.id, p.state, p.captured_minor, p.refunded_minor, coalesce(l.captured, 0), coalesce(l.refunded, 0))
      FROM payments p
      LEFT JOIN (SELECT e.payment_id,
                        sum(e.amount_minor) FILTER (WHERE e.event_type = 'payment.captured' AND e.side = 'D') AS captured,
                        sum(e.amount_minor) FILTER (WHERE e.event_type = 'payment.refunded' AND e.side = 'D') AS refunded
                   FROM ledger_entries e
                  WHERE e.payment_id IS NOT NULL
                  GROUP BY e.payment_id) l ON l.payment_id = p.id
     WHERE p.updated_at < now() - settle
       AND (p.captured_minor <> coalesce(l.captured, 0) OR p.refunded_minor <> coalesce(l.refunded, 0))
    UNION ALL
    SELECT 'wallet_mismatch', NULL, NULL, w.wallet_id, w.currency,
           format('wallet %s of %s owes %s (available %s, held %s, cash-outs pending %s); its ledger account %s holds %s',
                  w.wallet_id, w.merchant_id, w.available_minor + w.held_minor + coalesce(c.pending, 0), w.available_minor, w.held_minor,
                  coalesce(c.pending, 0), format('wallet:%s:%s:%s', w.merchant_id, w.wallet_id, w.currency), coalesce(b.balance, 0))
      FROM wallets w
      LEFT JOIN (SELECT o.wallet_uid, sum(o.amount_minor) AS pending
                   FROM wallet_operations o
                  WHERE o.kind = 'cashout' AND o.state = 'PENDING'
                  GROUP BY o.wallet_uid) c ON c.wallet_uid = w.wallet_uid
      LEFT JOIN accounts a ON a.code = format('wallet:%s:%s:%s', w.merchant_id, w.wallet_id, w.currency)
      LEFT JOIN LATERAL (SELECT sum(CASE WHEN e.side = 'C' THEN e.amount_minor ELSE -e.amount_minor END) AS balance
                           FROM ledger_entries e
                          WHERE e.account_id = a.id) b ON true
     WHERE w.updated_at < now() - settle
       -- a finished cash-out changes no balance column, only its operation and an event
       AND NOT EXISTS (SELECT 1 FROM outbox_events o WHERE o.agg_id = w.wallet_uid AND o.created_at >= now() - settle)
       AND w.available_minor + w.held_minor + coalesce(c.pending, 0) <> coalesce(b.balance, 0);
$$;
