-- The double-entry ledger (issue 4, ARCHITECTURE.md §3): a chart of accounts created on first use
-- and an append-only journal. The database enforces what the code also checks, because Orleans can
-- briefly run two activations and a bug in the posting rules must not reach the books:
--   * ledger_entries refuses UPDATE, DELETE and TRUNCATE (corrections are new entries);
--   * every INSERT statement must leave each of its transactions balanced per currency;
--   * (source_system, source_event_id, leg) is unique, so a redelivered event posts nothing;
--   * an entry's currency is its account's currency (composite foreign key).
--
-- ledger_entries is deliberately not partitioned by month: PostgreSQL enforces a unique key across
-- partitions only when it contains the partition column, and the idempotency key must hold for
-- all time, whatever the event's clock said.

CREATE TABLE accounts (
    id          bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    -- psp_clearing:{psp}:{CUR}, merchant_payable:{merchant}:{CUR}, wallet:{merchant}:{wallet}:{CUR}, bank:{CUR}
    code        text        NOT NULL,
    type        text        NOT NULL,
    currency    char(3)     NOT NULL,
    merchant_id text,
    owner_ref   text,
    created_at  timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT accounts_code_unique UNIQUE (code),
    CONSTRAINT accounts_id_currency UNIQUE (id, currency),
    CONSTRAINT accounts_type_known CHECK (type IN ('asset', 'liability', 'equity', 'revenue', 'expense')),
    CONSTRAINT accounts_currency_format CHECK (currency ~ '^[A-Z]{3}$'),
    CONSTRAINT accounts_code_names_currency CHECK (right(code, 4) = ':' || currency)
);

CREATE TABLE ledger_entries (
    id              bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    transaction_id  uuid        NOT NULL,
    source_system   text        NOT NULL,
    source_event_id uuid        NOT NULL,
    event_type      text        NOT NULL,
    leg             smallint    NOT NULL,
    account_id      bigint      NOT NULL,
    side            char(1)     NOT NULL,
    amount_minor    bigint      NOT NULL,
    currency        char(3)     NOT NULL,
    payment_id      uuid,
    wallet_id       text,
    memo            text,
    -- effective_at: when the money moved (the event's occurred_at); recorded_at: when the books learned it.
    effective_at    timestamptz NOT NULL,
    recorded_at     timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT ledger_entries_idempotent UNIQUE (source_system, source_event_id, leg),
    CONSTRAINT ledger_entries_account FOREIGN KEY (account_id, currency) REFERENCES accounts (id, currency),
    CONSTRAINT ledger_entries_amount_positive CHECK (amount_minor > 0),
    CONSTRAINT ledger_entries_side_known CHECK (side IN ('D', 'C')),
    CONSTRAINT ledger_entries_leg_positive CHECK (leg > 0),
    CONSTRAINT ledger_entries_source_known CHECK (source_system IN ('payments', 'wallets'))
);

-- Audit queries: an account's entries newest first and its balance (index-only sums), its balance
-- as of a time, a payment's entries, a transaction's legs.
CREATE INDEX ledger_entries_account_id ON ledger_entries (account_id, id DESC) INCLUDE (side, amount_minor);
CREATE INDEX ledger_entries_account_recorded ON ledger_entries (account_id, recorded_at) INCLUDE (side, amount_minor);
CREATE INDEX ledger_entries_payment ON ledger_entries (payment_id, id) WHERE payment_id IS NOT NULL;
CREATE INDEX ledger_entries_transaction ON ledger_entries (transaction_id);

-- Append-only: the journal is evidence. Statement-level, so even an UPDATE that matches no row is refused.
CREATE FUNCTION ledger_entries_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'ledger_entries is append-only: % refused; post a correcting transaction instead', TG_OP
        USING ERRCODE = 'integrity_constraint_violation';
END;
$$;

CREATE TRIGGER ledger_entries_no_update_delete
    BEFORE UPDATE OR DELETE ON ledger_entries
    FOR EACH STATEMENT EXECUTE FUNCTION ledger_entries_append_only();

CREATE TRIGGER ledger_entries_no_truncate
    BEFORE TRUNCATE ON ledger_entries
    FOR EACH STATEMENT EXECUTE FUNCTION ledger_entries_append_only();

-- A posting is always inserted by one statement; the rows that statement inserted must balance per
-- transaction and currency (debits = credits), and every transaction needs a debit and a credit.
CREATE FUNCTION ledger_entries_check_balanced() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    bad record;
BEGIN
    SELECT n.transaction_id, n.currency,
           sum(CASE WHEN n.side = 'D' THEN n.amount_minor ELSE 0 END) AS debits,
           sum(CASE WHEN n.side = 'C' THEN n.amount_minor ELSE 0 END) AS credits
      INTO bad
      FROM inserted n
     GROUP BY n.transaction_id, n.currency
    HAVING sum(CASE WHEN n.side = 'D' THEN n.amount_minor ELSE -n.amount_minor END) <> 0
        OR count(*) FILTER (WHERE n.side = 'D') = 0
        OR count(*) FILTER (WHERE n.side = 'C') = 0
     LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'unbalanced ledger transaction %: % debits % and credits % in one statement',
            bad.transaction_id, bad.currency, bad.debits, bad.credits
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NULL;
END;
$$;

CREATE TRIGGER ledger_entries_balanced
    AFTER INSERT ON ledger_entries
    REFERENCING NEW TABLE AS inserted
    FOR EACH STATEMENT EXECUTE FUNCTION ledger_entries_check_balanced();

-- Everything that would make the books wrong, one row per problem. Empty means: every transaction
-- balances per currency, every currency sums to zero, no entry is orphaned. Used by
-- GET /v1/operator/ledger/verify and by deploy/ledger-verify.sh, so both prove the same thing.
CREATE FUNCTION ledger_verify_problems()
RETURNS TABLE (kind text, transaction_id uuid, currency char(3), detail text)
LANGUAGE sql STABLE AS $$
    SELECT 'unbalanced_transaction', e.transaction_id, e.currency,
           format('debits %s, credits %s', coalesce(sum(e.amount_minor) FILTER (WHERE e.side = 'D'), 0),
                  coalesce(sum(e.amount_minor) FILTER (WHERE e.side = 'C'), 0))
      FROM ledger_entries e
     GROUP BY e.transaction_id, e.currency
    HAVING sum(CASE WHEN e.side = 'D' THEN e.amount_minor ELSE -e.amount_minor END) <> 0
    UNION ALL
    SELECT 'unbalanced_currency', NULL, e.currency,
           format('debits %s, credits %s', coalesce(sum(e.amount_minor) FILTER (WHERE e.side = 'D'), 0),
                  coalesce(sum(e.amount_minor) FILTER (WHERE e.side = 'C'), 0))
      FROM ledger_entries e
     GROUP BY e.currency
    HAVING sum(CASE WHEN e.side = 'D' THEN e.amount_minor ELSE -e.amount_minor END) <> 0
    UNION ALL
    SELECT 'orphan_entry', e.transaction_id, e.currency,
           format('entry %s names account %s, which does not exist in %s', e.id, e.account_id, e.currency)
      FROM ledger_entries e
     WHERE NOT EXISTS (SELECT 1 FROM accounts a WHERE a.id = e.account_id AND a.currency = e.currency)
    UNION ALL
    SELECT 'mixed_transaction', e.transaction_id, NULL,
           format('transaction carries %s source events', count(DISTINCT (e.source_system, e.source_event_id)))
      FROM ledger_entries e
     GROUP BY e.transaction_id
    HAVING count(DISTINCT (e.source_system, e.source_event_id)) > 1
    UNION ALL
    SELECT 'incomplete_posting', min(e.transaction_id::text)::uuid, NULL,
           format('event %s/%s has legs %s of %s', e.source_system, e.source_event_id, count(*), max(e.leg))
      FROM ledger_entries e
     GROUP BY e.source_system, e.source_event_id
    HAVING count(*) <> max(e.leg) OR count(DISTINCT e.transaction_id) > 1 OR count(*) < 2;
$$;
