-- Indexes fitted to the queries that run (measured with pg_stat_statements and pg_stat_user_indexes under
-- the 400-VU benchmark, BENCHMARKS.md).

-- The pending-payment sweeper asks for payments with an operation in flight, oldest first. Without this it
-- read every payment of every partition on each sweep; with it, only the few in flight.
CREATE INDEX payments_pending_updated ON payments (updated_at) WHERE pending IS NOT NULL;

-- Never used by any query, yet each cost an index insertion on every payment insert and every state change
-- (a state change is never a HOT update): idempotency lives in idempotency_keys, and listing filters a
-- merchant's own index.
DROP INDEX payments_idem;
DROP INDEX payments_state_created;

-- Never used by any query either (the outbox is a queue; Kafka, keyed by aggregate, is the log), and it
-- cost an insertion on every event written and every event marked PUBLISHED.
DROP INDEX outbox_events_aggregate;
