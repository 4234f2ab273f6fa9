#!/usr/bin/env bash
# Runs every test (unit + integration) against real local PostgreSQL and Redis.
#   bash deploy/test.sh [extra dotnet test args, e.g. --filter FullyQualifiedName~Ledger]
# Ends with one line "tests: N passed, M failed[, K skipped]" and dotnet test's exit code;
# zero tests run counts as a failure.
set -euo pipefail
# shellcheck source=deploy/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

pa_ensure_packages
# Alert rules first: a second, and a broken rule fails the run before the long part starts.
pa_check_observability
pa_start_postgres
pa_start_redis
pa_build
pa_dirs

results="$PA_DATA/test-results"
log="$PA_DATA/logs/test.log"
# Only this run's TRX files may be totalled.
rm -rf "$results"
mkdir -p "$results"

# Integration tests create and drop their own databases through the maintenance DB.
export PA_TEST_POSTGRES="Host=$PA_PG_SOCKET_DIR;Database=postgres"
export PA_TEST_REDIS="$PA_REDIS_HOST:$PA_REDIS_PORT"
export PA_REPO_ROOT="$REPO"
export PA_TEST_CONFIGURATION=Release

set +e
(cd "$REPO" && dotnet test Payments.Actors.sln -c Release --no-build --nologo \
  --logger "console;verbosity=normal" --logger "trx" --results-directory "$results" \
  "$@" </dev/null) 2>&1 | tee "$log"
rc=${PIPESTATUS[0]}
set -e

# Total over all test assemblies: one TRX per assembly, <Counters total= passed= ...>.
total=0 passed=0 failed=0 skipped=0
attr() { grep -o "<Counters [^>]*" "$1" | grep -o " $2=\"[0-9]*\"" | grep -o '[0-9]\+' || echo 0; }
shopt -s nullglob
trx=("$results"/*.trx "$results"/*/*.trx)
if ((${#trx[@]} > 0)); then
  for f in "${trx[@]}"; do
    t=$(attr "$f" total) p=$(attr "$f" passed) e=$(attr "$f" executed)
    fl=$(($(attr "$f" failed) + $(attr "$f" error) + $(attr "$f" timeout) + $(attr "$f" aborted)))
    total=$((total + t)) passed=$((passed + p)) failed=$((failed + fl))
    skipped=$((skipped + t - e))
  done
else
  # No TRX (e.g. a test host crashed before writing one): fall back to the console logger's
  # per-assembly summary blocks ("Total tests: 12", "     Passed: 11", "     Failed: 1", ...).
  sum() { sed -n "s/^ *$1: *\([0-9]\+\) *$/\1/p" "$log" | awk '{s+=$1} END {print s+0}'; }
  total=$(sum "Total tests") passed=$(sum Passed) failed=$(sum Failed) skipped=$(sum Skipped)
fi

# Name each failure with the start of its message at the end, where a CI log's tail shows it
# (perl-base is essential on Debian, so it is always there).
if ((failed > 0 && ${#trx[@]} > 0)); then
  echo "failed tests:" | tee -a "$log"
  perl -0777 -ne '
    while (/<UnitTestResult [^>]*?testName="([^"]*)"[^>]*?outcome="(?:Failed|Error|Timeout|Aborted)"(.*?)<\/UnitTestResult>/sg) {
      my ($name, $body) = ($1, $2);
      my ($msg) = $body =~ /<Message>(.*?)<\/Message>/s;
      $msg //= "";
      $msg =~ s/&lt;/</g; $msg =~ s/&gt;/>/g; $msg =~ s/&quot;/"/g; $msg =~ s/&apos;/\x27/g; $msg =~ s/&amp;/&/g;
      $msg =~ s/\s+/ /g;
      print "  $name\n    ", substr($msg, 0, 1200), "\n";
    }' "${trx[@]}" | tee -a "$log"
fi

summary="tests: $passed passed, $failed failed"
((skipped > 0)) && summary+=", $skipped skipped"
echo "$summary" | tee -a "$log"

if ((total == 0)); then
  echo "no tests ran: treating as failure" >&2
  ((rc != 0)) || rc=1
elif ((failed > 0 && rc == 0)); then
  rc=1
fi
exit "$rc"
