-- Tamper evidence: every ledger entry carries a SHA-256 hash chained to the entry before it in its book shard
-- (the ledger grain that wrote it), so writers of different shards never wait on one chain. chain_seq numbers the
-- shard's entries from 1 without gaps; chain_hash = SHA-256(previous entry's hash || the entry's canonical text),
-- computed by the writer (LedgerChain). Verify recomputes each chain and names the first entry that does not fit:
-- an entry altered, deleted or inserted around the ledger cannot go unnoticed. Entries written before this
-- migration have no chain (NULLs) and are counted as unchained.
ALTER TABLE ledger_entries ADD COLUMN chain_shard smallint;
ALTER TABLE ledger_entries ADD COLUMN chain_seq bigint;
ALTER TABLE ledger_entries ADD COLUMN chain_hash bytea;

ALTER TABLE ledger_entries ADD CONSTRAINT ledger_entries_chain_position UNIQUE (chain_shard, chain_seq);
ALTER TABLE ledger_entries ADD CONSTRAINT ledger_entries_chain_whole CHECK (
    (chain_shard IS NULL) = (chain_seq IS NULL) AND (chain_seq IS NULL) = (chain_hash IS NULL));
ALTER TABLE ledger_entries ADD CONSTRAINT ledger_entries_chain_seq_positive CHECK (chain_seq > 0);
ALTER TABLE ledger_entries ADD CONSTRAINT ledger_entries_chain_hash_length CHECK (octet_length(chain_hash) = 32);

-- A chain alone cannot show that its newest entries were cut off. The completeness check records each shard's head
-- here as it goes; verify requires the newest anchor of every shard to still be in the chain, hash and all.
CREATE TABLE ledger_chain_anchors (
    chain_shard smallint    NOT NULL,
    chain_seq   bigint      NOT NULL,
    chain_hash  bytea       NOT NULL,
    anchored_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT ledger_chain_anchors_pk PRIMARY KEY (chain_shard, chain_seq)
);
