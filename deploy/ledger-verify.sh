#!/usr/bin/env bash
# Proves the books balance, straight from PostgreSQL (no silo needed): every transaction balances per
# currency, every currency sums to zero, no entry is orphaned. Runs the same checks as
# GET /v1/operator/ledger/verify (the SQL function ledger_verify_problems() of migration 0007).
#
#   bash deploy/ledger-verify.sh            # database "payments" (PA_PG_DATABASE overrides)
#   bash deploy/ledger-verify.sh mydb       # another database
#
# Exit status: 0 balanced, 1 problems found (listed), 2 the check could not run.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

database="${1:-$PA_PG_DATABASE}"
run_psql() {
  local args=(-X -q -v ON_ERROR_STOP=1 -h "$PA_PG_SOCKET_DIR" -d "$database" "$@")
  if psql "${args[@]}" -c 'SELECT 1' >/dev/null 2>&1; then
    psql "${args[@]}"
  else
    pa_as_postgres psql "${args[@]}"
  fi
}

if ! summary=$(run_psql -At -F ' ' -c "
    SELECT count(*), count(DISTINCT transaction_id), (SELECT count(*) FROM accounts),
           (SELECT count(*) FROM ledger_verify_problems())
      FROM ledger_entries"); then
  pa_log "could not query the ledger in database '$database' (is migration 0007 applied?)"
  exit 2
fi
read -r entries transactions accounts problems <<<"$summary"

echo "ledger in database '$database': $entries entries, $transactions transactions, $accounts accounts"
run_psql -c "
    SELECT currency, count(DISTINCT transaction_id) AS transactions, count(*) AS entries,
           coalesce(sum(amount_minor) FILTER (WHERE side = 'D'), 0) AS debits_minor,
           coalesce(sum(amount_minor) FILTER (WHERE side = 'C'), 0) AS credits_minor,
           sum(CASE WHEN side = 'D' THEN amount_minor ELSE -amount_minor END) = 0 AS balanced
      FROM ledger_entries GROUP BY currency ORDER BY currency"

if [[ "$problems" == 0 ]]; then
  echo "ledger: BALANCED"
  exit 0
fi

run_psql -c "SELECT * FROM ledger_verify_problems() LIMIT 100"
echo "ledger: NOT BALANCED ($problems problem(s))"
exit 1
