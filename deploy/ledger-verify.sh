#!/usr/bin/env bash
# Proves the books balance and are complete, straight from PostgreSQL (no silo needed): every transaction
# balances per currency, every currency sums to zero, no entry is orphaned (ledger_verify_problems()), and
# every money event has its posting and every payment and wallet equals its postings, leaving out what
# changed in the last SETTLE_SECONDS (ledger_completeness_problems()). The same checks as
# GET /v1/operator/ledger/verify, which also recomputes the hash chains (that needs the silo's code).
#
#   bash deploy/ledger-verify.sh            # database "payments" (PA_PG_DATABASE overrides)
#   bash deploy/ledger-verify.sh mydb       # another database
#   SETTLE_SECONDS=0 bash deploy/ledger-verify.sh
#
# Exit status: 0 balanced and complete, 1 problems found (listed), 2 the check could not run.
# Gaps are repaired by POST /v1/operator/ledger/repair (see docs/operations.md).
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

settle="${SETTLE_SECONDS:-60}"
[[ "$settle" =~ ^[0-9]+$ ]] || { pa_log "SETTLE_SECONDS must be a whole number of seconds"; exit 2; }
if ! summary=$(run_psql -At -F ' ' -c "
    SELECT count(*), count(DISTINCT transaction_id), (SELECT count(*) FROM accounts),
           (SELECT count(*) FROM ledger_verify_problems()),
           (SELECT count(*) FROM ledger_completeness_problems(make_interval(secs => $settle)))
      FROM ledger_entries"); then
  pa_log "could not query the ledger in database '$database' (is migration 0013 applied?)"
  exit 2
fi
read -r entries transactions accounts problems gaps <<<"$summary"

echo "ledger in database '$database': $entries entries, $transactions transactions, $accounts accounts"
run_psql -c "
    SELECT currency, count(DISTINCT transaction_id) AS transactions, count(*) AS entries,
           coalesce(sum(amount_minor) FILTER (WHERE side = 'D'), 0) AS debits_minor,
           coalesce(sum(amount_minor) FILTER (WHERE side = 'C'), 0) AS credits_minor,
           sum(CASE WHEN side = 'D' THEN amount_minor ELSE -amount_minor END) = 0 AS balanced
      FROM ledger_entries GROUP BY currency ORDER BY currency"

status=0
if [[ "$problems" == 0 ]]; then
  echo "ledger: BALANCED"
else
  run_psql -c "SELECT * FROM ledger_verify_problems() LIMIT 100"
  echo "ledger: NOT BALANCED ($problems problem(s))"
  status=1
fi

if [[ "$gaps" == 0 ]]; then
  echo "ledger: COMPLETE (changes older than ${settle}s)"
else
  run_psql -c "SELECT kind, event_id, payment_id, wallet_id, detail FROM ledger_completeness_problems(make_interval(secs => $settle)) LIMIT 100"
  echo "ledger: INCOMPLETE ($gaps gap(s)); POST /v1/operator/ledger/repair posts missing events"
  status=1
fi
exit "$status"
