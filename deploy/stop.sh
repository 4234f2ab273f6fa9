#!/usr/bin/env bash
# Stops the processes deploy/run.sh started (pid files in .data/pids): TERM, then KILL after
# PA_STOP_TIMEOUT (10) s. PostgreSQL and Redis keep running. Idempotent.
set -euo pipefail
# shellcheck source=deploy/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

# Callers before callees: the silo first, so it does not log PSP or Kafka errors while shutting down.
for name in silo api-front psp-simulator kafka-embedded; do
  pa_stop_proc "$name"
done
# Anything else that was started through pa_spawn.
shopt -s nullglob
for pidf in "$PA_DATA"/pids/*.pid; do
  name="$(basename "$pidf" .pid)"
  pa_stop_proc "$name"
done
