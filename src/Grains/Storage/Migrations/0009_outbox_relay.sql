-- The outbox relay (ARCHITECTURE.md §6): rows that keep failing are PARKED for an operator instead
-- of being retried forever; an operator puts them back to NEW after fixing the cause.
ALTER TABLE outbox_events DROP CONSTRAINT outbox_events_status_known;
ALTER TABLE outbox_events ADD CONSTRAINT outbox_events_status_known CHECK (status IN ('NEW', 'PUBLISHED', 'PARKED'));

CREATE INDEX outbox_events_parked ON outbox_events (created_at) WHERE status = 'PARKED';
CREATE INDEX outbox_events_published ON outbox_events (published_at) WHERE status = 'PUBLISHED';
