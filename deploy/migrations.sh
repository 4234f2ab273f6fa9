#!/usr/bin/env bash
# The schema's migration status, as the silo sees it: how many scripts ran, which a start would run (pending), and
# which ran with different SQL than this build carries (edited: the silo refuses to start until that is resolved).
#
#   bash deploy/migrations.sh            # database "payments" (PA_PG_DATABASE overrides)
#   bash deploy/migrations.sh mydb
#
# Exit status: 0 nothing edited, 1 an applied migration was edited. Migrations themselves run at silo start.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

database="${1:-$PA_PG_DATABASE}"
pa_start_postgres
pa_build
ConnectionStrings__Postgres="Host=$PA_PG_SOCKET_DIR;Database=$database" Orleans__Dashboard=false \
  dotnet "$REPO/src/Silo/bin/Release/net10.0/Payments.Actors.Silo.dll" migrations status
