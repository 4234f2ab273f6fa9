#!/usr/bin/env bash
# Shared helpers for deploy/run.sh, deploy/stop.sh and deploy/test.sh.
# Source it; it only defines functions and variables (safe under set -euo pipefail).
# Everything is idempotent: each helper checks before it changes anything.

# Repo root, derived from this file's location so the scripts work from any cwd.
pa_root() {
  (cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
}

# Always derived, never taken from the environment (CI systems often set REPO to a slug).
REPO="$(pa_root)"
# Runtime state (logs, pids, secrets, redis dir). Gitignored.
PA_DATA="$REPO/.data"
PA_PG_VERSION="${PA_PG_VERSION:-15}"
PA_PG_CLUSTER="${PA_PG_CLUSTER:-main}"
PA_PG_SOCKET_DIR="/var/run/postgresql"
PA_PG_DATABASE="${PA_PG_DATABASE:-payments}"
PA_REDIS_HOST="127.0.0.1"
PA_REDIS_PORT="${PA_REDIS_PORT:-6379}"
# Apt packages the platform needs on one machine. prometheus brings promtool,
# which deploy/test.sh uses to check the alert rules in deploy/observability; it is never started.
# openssh-server: the SFTP server that publishes settlement files; chromium: the operator console's browser test.
PA_PACKAGES=(postgresql postgresql-contrib redis-server curl jq prometheus openssh-server chromium)
export REPO PA_DATA

# CI runners may have no HOME; dotnet and NuGet need one.
if [[ -z "${HOME:-}" ]]; then
  HOME="$(getent passwd "$(id -un)" | cut -d: -f6)"
  export HOME
fi
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
# In CI, no MSBuild worker nodes may outlive the build: they can hold the job's output pipe
# (test.sh pipes dotnet test into tee) and keep the runner waiting.
if [[ "${CI:-}" == true ]]; then
  export MSBUILDDISABLENODEREUSE="${MSBUILDDISABLENODEREUSE:-1}"
  export DOTNET_CLI_USE_MSBUILD_SERVER="${DOTNET_CLI_USE_MSBUILD_SERVER:-0}"
fi

pa_log() { printf '[pa] %s\n' "$*" >&2; }
pa_die() { printf '[pa] ERROR: %s\n' "$*" >&2; exit 1; }

pa_dirs() {
  mkdir -p "$PA_DATA/logs" "$PA_DATA/pids" "$PA_DATA/redis" "$PA_DATA/test-results"
}

# Run a command as root (directly when we already are root, as on the reference machine).
pa_as_root() {
  if [[ $EUID -eq 0 ]]; then "$@"; else sudo -n "$@"; fi
}

# Run a command as the postgres OS user; cd / so psql does not warn about an unreadable cwd.
pa_as_postgres() {
  if [[ $EUID -eq 0 ]]; then
    (cd / && runuser -u postgres -- "$@")
  else
    (cd / && sudo -n -u postgres -- "$@")
  fi
}

pa_pkg_installed() {
  [[ "$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null)" == "install ok installed" ]]
}

pa_ensure_packages() {
  local missing=() p
  for p in "${PA_PACKAGES[@]}"; do
    pa_pkg_installed "$p" || missing+=("$p")
  done
  # Fast path: nothing to do, no apt-get update.
  ((${#missing[@]} == 0)) && return 0

  pa_log "installing: ${missing[*]}"
  # Subshell so the EXIT trap removes our policy-rc.d even if apt-get fails.
  (
    export DEBIAN_FRONTEND=noninteractive
    policy=/usr/sbin/policy-rc.d
    # Without systemd, postinst scripts that start services (redis-server, postgresql) fail
    # and leave the package half-configured. Exit 101 = "action forbidden": the package
    # installs but is not started; we start the daemons ourselves. Never clobber an existing
    # policy-rc.d (e.g. one provided by a container image).
    if [[ ! -e $policy ]]; then
      trap 'pa_as_root rm -f "$policy"' EXIT
      printf '#!/bin/sh\n# temporary, from Payments.Actors deploy/lib.sh\nexit 101\n' |
        pa_as_root tee "$policy" >/dev/null
      pa_as_root chmod 755 "$policy"
    fi
    pa_as_root apt-get -o DPkg::Lock::Timeout=300 update -qq </dev/null
    pa_as_root apt-get -o DPkg::Lock::Timeout=300 install -y -qq --no-install-recommends \
      -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold \
      "${missing[@]}" </dev/null
  )
  for p in "${missing[@]}"; do
    pa_pkg_installed "$p" || pa_die "package $p failed to install"
  done
}

# psql as the postgres superuser over the unix socket; extra args are passed through.
pa_psql_admin() {
  pa_as_postgres psql -X -q -v ON_ERROR_STOP=1 -h "$PA_PG_SOCKET_DIR" -p "$(pa_pg_port)" -d postgres "$@"
}

pa_pg_port() {
  pg_lsclusters -h | awk -v v="$PA_PG_VERSION" -v c="$PA_PG_CLUSTER" '$1==v && $2==c {print $3}'
}

pa_pg_status() {
  pg_lsclusters -h | awk -v v="$PA_PG_VERSION" -v c="$PA_PG_CLUSTER" '$1==v && $2==c {print $4}'
}

pa_pg_wait_ready() {
  local port deadline=$((SECONDS + 60))
  port="$(pa_pg_port)"
  until pg_isready -q -h "$PA_PG_SOCKET_DIR" -p "$port"; do
    ((SECONDS < deadline)) || pa_die "PostgreSQL not ready after 60 s (see /var/log/postgresql/)"
    sleep 0.5
  done
}

pa_start_postgres() {
  command -v pg_lsclusters >/dev/null || pa_die "postgresql not installed (run pa_ensure_packages)"
  if [[ -z "$(pa_pg_port)" ]]; then
    pa_log "creating PostgreSQL cluster $PA_PG_VERSION $PA_PG_CLUSTER"
    # C.UTF-8 always exists on Debian; the caller's LANG may name an ungenerated locale.
    pa_as_root pg_createcluster --locale=C.UTF-8 "$PA_PG_VERSION" "$PA_PG_CLUSTER" >/dev/null
  fi
  # /var/run is tmpfs on real hosts; without systemd-tmpfiles nobody recreates the socket dir.
  pa_as_root install -d -o postgres -g postgres -m 2775 "$PA_PG_SOCKET_DIR"
  if [[ "$(pa_pg_status)" != online* ]]; then
    pa_log "starting PostgreSQL $PA_PG_VERSION/$PA_PG_CLUSTER"
    pa_as_root pg_ctlcluster "$PA_PG_VERSION" "$PA_PG_CLUSTER" start
  fi
  pa_pg_wait_ready

  # Tuning for a payments workload on one machine (the commit is the
  # scarce resource). fsync and synchronous_commit are pinned ON: money needs durable commits.
  local -a tuning=(
    max_connections=300 shared_buffers=1GB wal_buffers=16MB max_wal_size=4GB
    checkpoint_timeout=15min fsync=on synchronous_commit=on
  )
  local kv name want have changed=0
  for kv in "${tuning[@]}"; do
    name="${kv%%=*}" want="${kv#*=}"
    # current_setting() renders with the same units we ask for (1GB, 16MB, 15min).
    have="$(pa_psql_admin -tAc "SELECT current_setting('$name')")"
    if [[ "$have" != "$want" ]]; then
      pa_log "postgres: $name $have -> $want"
      pa_psql_admin -c "ALTER SYSTEM SET $name = '$want'"
      changed=1
    fi
  done
  if ((changed)); then
    # Several of these need a restart, not just a reload; restart only when something changed.
    pa_as_root pg_ctlcluster "$PA_PG_VERSION" "$PA_PG_CLUSTER" restart
    pa_pg_wait_ready
  fi

  # A login role named after the OS user: the apps connect with peer auth over the socket
  # ("Host=/var/run/postgresql;Database=payments", Npgsql defaults Username to the OS user).
  # CREATEDB (not superuser) so integration tests can create and drop their own databases.
  local role
  role="$(id -un)"
  if [[ "$role" != postgres ]]; then
    pa_psql_admin -v role="$role" <<'SQL'
SELECT format('CREATE ROLE %I LOGIN CREATEDB', :'role')
 WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = :'role')\gexec
SQL
  fi
  pa_psql_admin -v role="$role" -v db="$PA_PG_DATABASE" <<'SQL'
SELECT format('CREATE DATABASE %I OWNER %I', :'db', :'role')
 WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = :'db')\gexec
SQL
}

pa_redis_ping() {
  [[ "$(redis-cli -h "$PA_REDIS_HOST" -p "$PA_REDIS_PORT" ping 2>/dev/null)" == PONG ]]
}

pa_start_redis() {
  command -v redis-server >/dev/null || pa_die "redis-server not installed (run pa_ensure_packages)"
  pa_redis_ping && return 0
  pa_dirs
  pa_log "starting redis on $PA_REDIS_HOST:$PA_REDIS_PORT"
  # A cache only (idempotency fast path, rate limits); PostgreSQL is the backstop, so no
  # persistence, and LRU eviction under a memory cap is safe by design.
  # Pid file lives in redis/, not pids/, so deploy/stop.sh leaves redis running.
  redis-server --daemonize yes --bind "$PA_REDIS_HOST" --port "$PA_REDIS_PORT" \
    --save "" --appendonly no \
    --maxmemory "${PA_REDIS_MAXMEMORY:-1gb}" --maxmemory-policy allkeys-lru \
    --dir "$PA_DATA/redis" --pidfile "$PA_DATA/redis/redis.pid" \
    --logfile "$PA_DATA/logs/redis.log" </dev/null
  local deadline=$((SECONDS + 20))
  until pa_redis_ping; do
    if ((SECONDS >= deadline)); then
      tail -n 30 "$PA_DATA/logs/redis.log" >&2 || true
      pa_die "redis did not answer PING within 20 s"
    fi
    sleep 0.2
  done
}

# promtool check + unit tests of deploy/observability (well under a second); fails the caller on any error.
pa_check_observability() {
  command -v promtool >/dev/null || pa_die "promtool not found (the prometheus package; run pa_ensure_packages)"
  command -v jq >/dev/null || pa_die "jq not found (run pa_ensure_packages)"
  pa_log "checking deploy/observability with promtool"
  (
    cd "$REPO/deploy/observability" &&
      promtool check config --syntax-only prometheus.yml >/dev/null &&
      promtool check rules alerts.yml >/dev/null &&
      promtool test rules alerts.test.yml
  ) || pa_die "deploy/observability: promtool check or test failed (see above)"
  pa_check_dashboard_queries
  pa_check_alerts_tested
}

# Grafana does not validate PromQL on import, so a broken query only shows as an empty panel.
# promtool has no "parse this expression" command, but `check rules` parses every expr: each
# dashboard query becomes a recording rule in a group named after its panel, so promtool's
# error names the panel. Grafana's interval variables are replaced by a duration and any other
# variable by a plain word, which keeps the query parseable wherever such a variable may stand.
pa_check_dashboard_queries() {
  local dir="$REPO/deploy/observability" f tmp out
  tmp="$(mktemp -d)"
  for f in "$dir"/*.json; do
    [[ -e "$f" ]] || continue
    # JSON is YAML, so jq writes the rules file directly and quoting never breaks it.
    jq '{groups: [[.. | objects | select(.targets? | type == "array")] | to_entries[]
          | .key as $i | .value as $p | $p.targets[] | select((.expr // "") != "")
          | {name: "dashboard \(input_filename | split("/") | last), panel \($i + 1) (\($p.title // "untitled")), target \(.refId // "?")",
             rules: [{record: "dashboard_query",
                      expr: (.expr
                        | gsub("\\$\\{?__(rate_interval|interval|range)(_ms|_s)?\\}?"; "1m")
                        | gsub("\\[\\[[A-Za-z0-9_]+\\]\\]|\\$\\{[^}]+\\}|\\$[A-Za-z_][A-Za-z0-9_]*"; "grafana_variable"))}]}]}' \
      "$f" >"$tmp/$(basename "$f" .json).rules.json" ||
      { rm -rf "$tmp"; pa_die "$f: not a dashboard jq can read"; }
  done
  shopt -s nullglob
  local rules=("$tmp"/*.rules.json)
  shopt -u nullglob
  if ((${#rules[@]} > 0)) && ! out="$(promtool check rules "${rules[@]}" 2>&1)"; then
    printf '%s\n' "$out" | sed -n 's/^.*: group "\(.*\)", rule 1, "dashboard_query": /  \1: /p' >&2
    rm -rf "$tmp"
    pa_die "deploy/observability: a dashboard query does not parse (panel named above)"
  fi
  rm -rf "$tmp"
}

# Every alert needs a promtool test case (an alert nobody tested may never fire, or page for
# nothing) and a runbook_url whose anchor is a heading of docs/operations.md (a link into nothing
# is found at 3 a.m.). Names come from the "alert:", "alertname:" and "runbook_url:" keys.
pa_check_alerts_tested() {
  local dir="$REPO/deploy/observability" name anchor untested=() unlinked=() anchors
  # GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens.
  anchors="$(sed -n 's/^#\{1,6\}[[:space:]]\{1,\}//p' "$REPO/docs/operations.md" |
    tr '[:upper:]' '[:lower:]' | sed 's/[^a-z0-9 _-]//g; s/ /-/g')"
  while read -r name anchor; do
    grep -qE "^[[:space:]]*(-[[:space:]]*)?alertname:[[:space:]]*[\"']?$name[\"']?[[:space:]]*$" "$dir"/*.test.yml ||
      untested+=("$name")
    [[ -n "$anchor" ]] && grep -qxF -- "$anchor" <<<"$anchors" || unlinked+=("$name")
  done < <(awk '
    match($0, /^[[:space:]]*-[[:space:]]*alert:[[:space:]]*/) {
      if (name != "") print name, anchor
      name = substr($0, RSTART + RLENGTH); gsub(/["\047[:space:]]/, "", name); anchor = ""
    }
    /^[[:space:]]*runbook_url:/ && name != "" {
      anchor = $0; sub(/^[^#]*#/, "", anchor); gsub(/["\047[:space:]]/, "", anchor)
    }
    END { if (name != "") print name, anchor }' "$dir/alerts.yml")
  ((${#untested[@]} == 0)) ||
    pa_die "deploy/observability: no promtool test case in *.test.yml for alert(s): ${untested[*]}"
  ((${#unlinked[@]} == 0)) ||
    pa_die "deploy/observability: no runbook_url to a heading of docs/operations.md for alert(s): ${unlinked[*]}"
}

pa_build() {
  command -v dotnet >/dev/null || pa_die "dotnet (SDK 10) not found on PATH"
  pa_log "building (Release)"
  (cd "$REPO" && dotnet build Payments.Actors.sln -c Release -warnaserror --nologo -v q </dev/null)
}

# Per-checkout random secrets: the HMAC keys shared by the PSP simulator and the silo's PSP
# adapters, the keys the simulator signs its webhooks with (and the silo verifies them with), and
# the client secrets of the demo OAuth2 clients. Nothing secret lives in the repo; a key missing
# from an older file is added, so rotating one is deleting its line.
PA_SECRET_NAMES=(PSP_A_HMAC_SECRET PSP_B_HMAC_SECRET BANK_HMAC_SECRET
  PSP_A_WEBHOOK_SECRET PSP_B_WEBHOOK_SECRET BANK_WEBHOOK_SECRET
  MERCHANT_A_CLIENT_SECRET MERCHANT_B_CLIENT_SECRET OPERATOR_CLIENT_SECRET)
pa_secrets() {
  local f="$PA_DATA/secrets.env" k
  mkdir -p "$PA_DATA"
  (
    umask 077
    [[ -s "$f" ]] || echo "# generated by deploy/lib.sh; delete a line to rotate that secret" >"$f"
    for k in "${PA_SECRET_NAMES[@]}"; do
      grep -q "^$k=" "$f" || printf '%s=%s\n' "$k" "$(od -An -tx1 -N32 /dev/urandom | tr -d ' \n')" >>"$f"
    done
  )
  chmod 600 "$f"
  set -a
  # shellcheck source=/dev/null
  . "$f"
  set +a
}

# Is this pid alive and ours? Zombies count as dead (PID 1 in a container may not reap), and
# the command line must mention the repo so a recycled pid is never killed.
pa_pid_is_ours() {
  local pid="$1" state
  [[ "$pid" =~ ^[0-9]+$ ]] && [[ -r /proc/$pid/stat ]] || return 1
  state="$(sed 's/.*) //' "/proc/$pid/stat" 2>/dev/null | cut -d' ' -f1)" || return 1
  [[ "$state" != Z && "$state" != X ]] || return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF -- "$REPO"
}

# pa_spawn NAME WORKDIR CMD...: start CMD in its own session, detached from this shell, with
# output to logs/NAME.log and its pid in pids/NAME.pid. WORKDIR matters: ASP.NET Core uses
# the cwd as content root, so it must be the app's bin dir for appsettings*.json to load.
pa_spawn() {
  local name="$1" workdir="$2"
  shift 2
  pa_dirs
  local log="$PA_DATA/logs/$name.log" pidf="$PA_DATA/pids/$name.pid"
  rm -f "$pidf"
  : >"$log"
  # exec all the way down (subshell -> setsid -> bash -> app): no shell lingers holding the
  # caller's stdout (a pipeline like `run.sh | tee` would never end). The inner shell writes
  # its own pid, so the pid file names the real process, which leads a new session and
  # process group (stop signals the whole group).
  # Four .NET processes share the machine's cores here: thread-pool workers spinning while they
  # wait for work burn CPU another process needs. A node running one
  # process may set the variable itself (the runtime's default is 70).
  # shellcheck disable=SC2016 # expanded by the inner shell, on purpose
  (cd "$workdir" && export DOTNET_ThreadPool_UnfairSemaphoreSpinLimit="${DOTNET_ThreadPool_UnfairSemaphoreSpinLimit:-0}" \
    && exec setsid nohup bash -c 'echo $$ >"$0"; exec "$@"' "$pidf" "$@" \
    >>"$log" 2>&1 </dev/null) &
  local deadline=$((SECONDS + 5))
  until [[ -s "$pidf" ]]; do
    ((SECONDS < deadline)) || pa_die "$name did not start (see $log)"
    sleep 0.1
  done
}

# pa_stop_proc NAME: TERM the process group from pids/NAME.pid, KILL after PA_STOP_TIMEOUT s.
pa_stop_proc() {
  local name="$1" pidf="$PA_DATA/pids/$1.pid" pid
  [[ -f "$pidf" ]] || return 0
  pid="$(head -n1 "$pidf" 2>/dev/null || true)"
  if pa_pid_is_ours "$pid"; then
    pa_log "stopping $name (pid $pid)"
    kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
    local deadline=$((SECONDS + ${PA_STOP_TIMEOUT:-10}))
    while pa_pid_is_ours "$pid" && ((SECONDS < deadline)); do sleep 0.2; done
    if pa_pid_is_ours "$pid"; then
      pa_log "$name did not exit in ${PA_STOP_TIMEOUT:-10} s: KILL"
      kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null || true
      sleep 0.2
    fi
  fi
  rm -f "$pidf"
}

# pa_wait_http URL TIMEOUT_S NAME: poll until HTTP 200; on timeout or early exit of NAME's
# process, show the tail of its log and fail.
pa_wait_http() {
  local url="$1" timeout="$2" name="$3"
  local pidf="$PA_DATA/pids/$name.pid" log="$PA_DATA/logs/$name.log"
  local deadline=$((SECONDS + timeout)) code
  while :; do
    code="$(curl -s -o /dev/null -w '%{http_code}' --max-time 3 "$url" 2>/dev/null || true)"
    [[ "$code" == 200 ]] && return 0
    if [[ -f "$pidf" ]] && ! pa_pid_is_ours "$(head -n1 "$pidf")"; then
      pa_log "$name exited before $url answered; last log lines ($log):"
      tail -n 40 "$log" >&2 || true
      return 1
    fi
    if ((SECONDS >= deadline)); then
      pa_log "$name: $url not 200 after ${timeout} s (last: ${code:-none}); last log lines ($log):"
      tail -n 40 "$log" >&2 || true
      return 1
    fi
    sleep 0.5
  done
}

# True when something already listens on 127.0.0.1:PORT (bash /dev/tcp: no extra tools).
pa_port_busy() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# pa_start_kafka PORT ADMIN_PORT: the embedded Kafka (librdkafka's in-memory mock cluster, src/KafkaEmbedded) with
# broker 1 on 127.0.0.1:PORT and its admin API on ADMIN_PORT. Nothing survives a restart;
# production sets Kafka:BootstrapServers to a real cluster and never starts this.
pa_start_kafka() {
  local port="$1" admin_port="$2" bin="$REPO/src/KafkaEmbedded/bin/Release/net10.0"
  pa_log "starting embedded Kafka on 127.0.0.1:$port (admin http://127.0.0.1:$admin_port)"
  pa_spawn kafka-embedded "$bin" \
    env Kafka__Port="$port" \
    dotnet "$bin/Payments.Actors.KafkaEmbedded.dll" --urls "http://127.0.0.1:$admin_port"
  pa_wait_http "http://127.0.0.1:$admin_port/health" 30 kafka-embedded
}
