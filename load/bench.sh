#!/usr/bin/env bash
# Reproduces BENCHMARKS.md on this machine: the machine's own limits (pgbench durable single-row
# commits, an empty Kestrel endpoint under LoadGen) and the platform under LoadGen (closed and open
# model), each with the CPU split between processes over the measured window (from /proc/<pid>/stat).
#   bash load/bench.sh                 # everything (about 7 minutes); the platform must be running
#   bash load/bench.sh pgbench empty   # only some steps: pgbench empty warmup closed open
# Env: VUS (400), RAMP (10), HOLD (60), WARMUP (60), OPEN_WARMUP (30: the open step's unmeasured start, where 400 VUs fetch tokens), RATE (open model arrivals/s, 250), OPEN_VUS (400).
# Stop other heavy processes first (builds, tests): they share the two cores and skew everything.
set -euo pipefail
# shellcheck source=deploy/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../deploy/lib.sh"

VUS="${VUS:-400}" RAMP="${RAMP:-10}" HOLD="${HOLD:-60}" WARMUP="${WARMUP:-60}" OPEN_WARMUP="${OPEN_WARMUP:-30}" RATE="${RATE:-250}" OPEN_VUS="${OPEN_VUS:-400}"
EMPTY_PORT="${EMPTY_PORT:-8085}"
OUT="$REPO/load/results/bench-$(date -u +%Y%m%d-%H%M%S)"
LOADGEN=(dotnet "$REPO/load/LoadGen/bin/Release/net10.0/Payments.Actors.LoadGen.dll")
# The load generator shares the cores with the platform: no spinning thread-pool workers (as deploy/lib.sh).
export DOTNET_ThreadPool_UnfairSemaphoreSpinLimit="${DOTNET_ThreadPool_UnfairSemaphoreSpinLimit:-0}"
steps=("$@")
LOADGEN_PID="" EMPTY_PID=""
((${#steps[@]})) || steps=(pgbench empty warmup closed open)
mkdir -p "$OUT"
# pidstat (sysstat) for the CPU split, pgbench (postgresql-contrib), jq for the results files.
PA_PACKAGES+=(sysstat)
pa_ensure_packages

# cpu_window NAME SECONDS: average CPU per process over the next SECONDS, from pidstat (sysstat), in cores
# (2.00 = the whole machine). Our processes are named from their pid files; anything else running shows
# under its own command name, so a foreign build skewing a run is visible in the table.
cpu_window() {
  local name="$1" seconds="$2" silo psp redis
  silo="$(head -n1 "$PA_DATA/pids/silo.pid" 2>/dev/null || echo -)"
  psp="$(head -n1 "$PA_DATA/pids/psp-simulator.pid" 2>/dev/null || echo -)"
  redis="$(head -n1 "$PA_DATA/redis/redis.pid" 2>/dev/null || echo -)"
  LC_ALL=C pidstat -u -h 1 "$seconds" >"$OUT/pidstat-$name.txt"
  {
    echo "CPU over ${seconds} s ($name), in cores (2.00 = the whole machine):"
    awk -v s="$seconds" -v silo="$silo" -v psp="$psp" -v redis="$redis" -v lg="${LOADGEN_PID:-x}" -v empty="${EMPTY_PID:-x}" '
      /^#/ || /^Average/ || NF < 10 { next }
      { pid = $3; cmd = $NF
        n = cmd
        if (pid == silo) n = "silo"; else if (pid == psp) n = "psp-simulator"; else if (pid == redis) n = "redis"
        else if (pid == lg) n = "loadgen"; else if (pid == empty) n = "empty-kestrel"
        cpu[n] += $8; total += $8 }
      END { for (n in cpu) if (cpu[n] / 100 / s >= 0.005) printf "  %-16s %5.2f\n", n, cpu[n] / 100 / s
            printf "  %-16s %5.2f\n", "all processes", total / 100 / s }' "$OUT/pidstat-$name.txt" | sort -k2 -nr
  } | tee "$OUT/cpu-$name.txt"
}

# PostgreSQL work per step: commits and row changes in the payments database (pg_stat views, no restart).
db_snapshot() {
  psql -XAtq -F ' ' -h "$PA_PG_SOCKET_DIR" -p "$(pa_pg_port)" -d "$PA_PG_DATABASE" -c "
    SELECT 'commits', xact_commit FROM pg_stat_database WHERE datname = current_database()
    UNION ALL SELECT 'rollbacks', xact_rollback FROM pg_stat_database WHERE datname = current_database()
    UNION ALL SELECT 'fetched_rows', tup_fetched FROM pg_stat_database WHERE datname = current_database()
    UNION ALL SELECT relname || '.ins', n_tup_ins FROM pg_stat_user_tables
    UNION ALL SELECT relname || '.upd', n_tup_upd FROM pg_stat_user_tables
    UNION ALL SELECT relname || '.del', n_tup_del FROM pg_stat_user_tables" | sort
}

# db_delta NAME BEFORE_FILE OK_COUNT: per-payment PostgreSQL work of a step.
db_delta() {
  db_snapshot >"$OUT/db-$1-after.txt"
  echo "PostgreSQL work per successful payment ($1, $3 payments):" | tee "$OUT/db-$1.txt"
  join "$2" "$OUT/db-$1-after.txt" | awk -v n="$3" '$3 - $2 > 0 && n > 0 { printf "  %-36s %8.2f\n", $1, ($3 - $2) / n }' | tee -a "$OUT/db-$1.txt"
}

ok_count() {
  local files=("$OUT"/*-"$1".json)
  jq '.whole_run.ok' "${files[-1]}"
}

step_pgbench() {
  local port db=pgbench_commits
  port="$(pa_pg_port)"
  pa_psql_admin -v role="$(id -un)" -v db="$db" <<'SQL'
SELECT format('CREATE DATABASE %I OWNER %I', :'db', :'role')
 WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = :'db')\gexec
SQL
  psql -X -q -h "$PA_PG_SOCKET_DIR" -p "$port" -d "$db" -c \
    "DROP TABLE IF EXISTS commits; CREATE TABLE commits (id bigserial PRIMARY KEY, v bigint NOT NULL, at timestamptz NOT NULL DEFAULT now())"
  printf '\\set v random(1, 1000000000)\nINSERT INTO commits (v) VALUES (:v);\n' >"$OUT/pgbench-insert.sql"
  echo "synchronous_commit=$(psql -XAtq -h "$PA_PG_SOCKET_DIR" -p "$port" -d "$db" -c 'SHOW synchronous_commit'), fsync=$(psql -XAtq -h "$PA_PG_SOCKET_DIR" -p "$port" -d "$db" -c 'SHOW fsync')" | tee "$OUT/pgbench.txt"
  local clients
  for clients in 1 16 32 64; do
    echo "== pgbench: one durable single-row INSERT per transaction, $clients clients, 20 s" | tee -a "$OUT/pgbench.txt"
    pgbench -n -M prepared -c "$clients" -j 2 -T 20 -f "$OUT/pgbench-insert.sql" -h "$PA_PG_SOCKET_DIR" -p "$port" "$db" 2>&1 |
      grep -E "^(tps|latency average|number of transactions actually)" | tee -a "$OUT/pgbench.txt"
  done
}

step_empty() {
  pa_port_busy "$EMPTY_PORT" && pa_die "127.0.0.1:$EMPTY_PORT is in use"
  "${LOADGEN[@]}" serve-empty --url "http://127.0.0.1:$EMPTY_PORT" >/dev/null 2>&1 &
  EMPTY_PID=$!
  local deadline=$((SECONDS + 20))
  until pa_port_busy "$EMPTY_PORT"; do ((SECONDS < deadline)) || pa_die "empty server did not start"; sleep 0.2; done
  "${LOADGEN[@]}" --url "http://127.0.0.1:$EMPTY_PORT" --client-secret unused --vus "$VUS" --ramp 5 --hold 30 \
    --label empty-kestrel --out "$OUT" --plain >"$OUT/empty-kestrel.log" 2>&1 &
  local lg=$!
  LOADGEN_PID=$lg
  sleep 6
  cpu_window empty-kestrel 28
  wait "$lg" || true
  kill "$EMPTY_PID" 2>/dev/null || true
  wait "$EMPTY_PID" 2>/dev/null || true
  EMPTY_PID=
  tail -n 16 "$OUT/empty-kestrel.log"
}

# A fresh silo spends its first minute on JIT (tiered compilation rejits the hot paths on a background
# thread, which a saturated 2-core box starves), connection pools and first activations: measured, the
# same build did 348/s in a first 60 s run and 509/s in the next one. An unmeasured run at full load
# first (WARMUP seconds) keeps that out of the measured runs; its files land in the same folder. Its
# exit status is ignored on purpose: a cold silo may shed a few requests, and none of it is measured.
step_warmup() {
  "${LOADGEN[@]}" --model closed --vus "$VUS" --ramp "$RAMP" --hold "$WARMUP" --label warmup --out "$OUT" --plain >"$OUT/warmup.log" 2>&1 || true
  tail -n 14 "$OUT/warmup.log"
}

step_closed() {
  db_snapshot >"$OUT/db-closed-before.txt"
  curl -s "http://127.0.0.1:8080/metrics" >"$OUT/metrics-closed-before.txt"
  "${LOADGEN[@]}" --model closed --vus "$VUS" --ramp "$RAMP" --hold "$HOLD" --label platform --out "$OUT" --plain \
    >"$OUT/platform-closed.log" 2>&1 &
  local lg=$!
  LOADGEN_PID=$lg
  sleep "$((RAMP + 1))"
  cpu_window platform-closed "$((HOLD - 2))"
  wait "$lg" || true
  curl -s "http://127.0.0.1:8080/metrics" >"$OUT/metrics-closed-after.txt"
  db_delta closed "$OUT/db-closed-before.txt" "$(ok_count platform-closed)"
  tail -n 16 "$OUT/platform-closed.log"
}

step_open() {
  db_snapshot >"$OUT/db-open-before.txt"
  curl -s "http://127.0.0.1:8080/metrics" >"$OUT/metrics-open-before.txt"
  "${LOADGEN[@]}" --model open --rate "$RATE" --vus "$OPEN_VUS" --warmup "$OPEN_WARMUP" --hold "$HOLD" --label platform --out "$OUT" --plain \
    >"$OUT/platform-open.log" 2>&1 &
  local lg=$!
  LOADGEN_PID=$lg
  sleep 8
  cpu_window platform-open "$((HOLD - 4))"
  wait "$lg" || true
  curl -s "http://127.0.0.1:8080/metrics" >"$OUT/metrics-open-after.txt"
  db_delta open "$OUT/db-open-before.txt" "$(ok_count platform-open)"
  tail -n 16 "$OUT/platform-open.log"
}

pa_log "results in $OUT"
uptime | tee "$OUT/uptime.txt"
for s in "${steps[@]}"; do
  pa_log "step: $s"
  "step_$s"
done
pa_log "done: $OUT"
