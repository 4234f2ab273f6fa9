-- The outbox relay (ARCHITECTURE.md §6).
-- Rows that keep failing are PARKED for an operator instead of being retried forever; an operator
-- puts them back to NEW after fixing the cause.
ALTER TABLE outbox_events DROP CONSTRAINT outbox_events_status_known;
ALTER TABLE outbox_events ADD CONSTRAINT outbox_events_status_known CHECK (status IN ('NEW', 'PUBLISHED', 'PARKED'));

-- Publication order. Events of one transaction share created_at, and their UUIDv7 ids are random
-- within a millisecond; the sequence keeps an aggregate's events in the order its grain wrote them.
ALTER TABLE outbox_events ADD COLUMN seq bigint GENERATED ALWAYS AS IDENTITY;

DROP INDEX outbox_events_unpublished;
CREATE INDEX outbox_events_unpublished ON outbox_events (seq) WHERE status = 'NEW';
CREATE INDEX outbox_events_parked ON outbox_events (seq) WHERE status = 'PARKED';
CREATE INDEX outbox_events_published ON outbox_events (published_at) WHERE status = 'PUBLISHED';
