#!/usr/bin/env bash
# Starts the whole platform on one machine: PostgreSQL + Redis (Debian packages), the embedded
# Kafka, the PSP simulator and one silo co-hosting the API.
# Idempotent: a second run stops what the first started and starts it again.
#   bash deploy/run.sh            stop with: bash deploy/stop.sh
set -euo pipefail
# shellcheck source=deploy/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

SILO_PORT="${PA_SILO_PORT:-8080}"
PSP_PORT="${PA_PSP_PORT:-8090}"
KAFKA_PORT="${PA_KAFKA_PORT:-9092}"
KAFKA_ADMIN_PORT="${PA_KAFKA_ADMIN_PORT:-9093}"
SILO_URL="http://127.0.0.1:$SILO_PORT"
PSP_URL="http://127.0.0.1:$PSP_PORT"
BIN="bin/Release/net10.0"
# The key id the Bank names its webhook secret by (not a secret: the secret is BANK_WEBHOOK_SECRET).
BANK_WEBHOOK_KEY_ID="${PA_BANK_WEBHOOK_KEY_ID:-bank-key-1}"

pa_ensure_packages
pa_start_postgres
pa_start_redis
pa_build
pa_secrets
bash "$REPO/deploy/stop.sh"

# Fail early and clearly if a foreign process holds our ports (ours were just stopped).
for port in "$PSP_PORT" "$SILO_PORT" "$KAFKA_PORT" "$KAFKA_ADMIN_PORT"; do
  pa_port_busy "$port" && pa_die "127.0.0.1:$port is in use by another process"
done

pa_start_kafka "$KAFKA_PORT" "$KAFKA_ADMIN_PORT"

pa_log "starting PSP simulator on $PSP_URL"
pa_spawn psp-simulator "$REPO/src/PspSimulator/$BIN" \
  env Providers__psp-a__HmacSecret="$PSP_A_HMAC_SECRET" \
      Providers__psp-b__HmacSecret="$PSP_B_HMAC_SECRET" \
      Providers__bank__HmacSecret="$BANK_HMAC_SECRET" \
      Providers__psp-a__Webhooks__Url="$SILO_URL/v1/webhooks/psp/psp-a" \
      Providers__psp-a__Webhooks__Secret="$PSP_A_WEBHOOK_SECRET" \
      Providers__psp-b__Webhooks__Url="$SILO_URL/v1/webhooks/psp/psp-b" \
      Providers__psp-b__Webhooks__Secret="$PSP_B_WEBHOOK_SECRET" \
      Providers__bank__Webhooks__Url="$SILO_URL/v1/webhooks/psp/bank" \
      Providers__bank__Webhooks__Secret="$BANK_WEBHOOK_SECRET" \
      Providers__bank__Webhooks__KeyId="$BANK_WEBHOOK_KEY_ID" \
  dotnet "$REPO/src/PspSimulator/$BIN/Payments.Actors.PspSimulator.dll" --urls "$PSP_URL"
pa_wait_http "$PSP_URL/health" 30 psp-simulator

pa_log "starting silo (with API) on $SILO_URL"
pa_spawn silo "$REPO/src/Silo/$BIN" \
  env ASPNETCORE_ENVIRONMENT=Development \
      ConnectionStrings__Postgres="Host=$PA_PG_SOCKET_DIR;Database=$PA_PG_DATABASE" \
      ConnectionStrings__Redis="$PA_REDIS_HOST:$PA_REDIS_PORT" \
      Psp__Providers__psp-a__BaseUrl="$PSP_URL" \
      Psp__Providers__psp-a__HmacSecret="$PSP_A_HMAC_SECRET" \
      Psp__Providers__psp-b__BaseUrl="$PSP_URL" \
      Psp__Providers__psp-b__HmacSecret="$PSP_B_HMAC_SECRET" \
      Psp__Providers__bank__BaseUrl="$PSP_URL" \
      Psp__Providers__bank__HmacSecret="$BANK_HMAC_SECRET" \
      Webhooks__Providers__psp-a__Secrets__0="$PSP_A_WEBHOOK_SECRET" \
      Webhooks__Providers__psp-b__Secrets__0="$PSP_B_WEBHOOK_SECRET" \
      Webhooks__Providers__bank__Secrets__0="$BANK_WEBHOOK_KEY_ID:$BANK_WEBHOOK_SECRET" \
      Platform__DataDirectory="$PA_DATA" \
      Kafka__BootstrapServers="127.0.0.1:$KAFKA_PORT" \
      Auth__Clients__0__ClientSecret="$MERCHANT_A_CLIENT_SECRET" \
      Auth__Clients__1__ClientSecret="$MERCHANT_B_CLIENT_SECRET" \
      Auth__Clients__2__ClientSecret="$OPERATOR_CLIENT_SECRET" \
  dotnet "$REPO/src/Silo/$BIN/Payments.Actors.Silo.dll" --urls "$SILO_URL"
pa_wait_http "$SILO_URL/health/ready" 90 silo

cat <<SUMMARY

Payments.Actors is running.
  API                 $SILO_URL/v1
  OpenAPI JSON        $SILO_URL/openapi/v1.json
  API reference UI    $SILO_URL/scalar
  Orleans Dashboard   $SILO_URL/dashboard
  OAuth2 token        $SILO_URL/connect/token
  PSP simulator       $PSP_URL
  Kafka (embedded)    127.0.0.1:$KAFKA_PORT  (admin http://127.0.0.1:$KAFKA_ADMIN_PORT/admin/cluster; in memory)
  PostgreSQL          $PA_PG_SOCKET_DIR (database $PA_PG_DATABASE)
  Redis               $PA_REDIS_HOST:$PA_REDIS_PORT
  Logs                $PA_DATA/logs
  Webhook bodies      $PA_DATA/blobs/webhooks  (POST $SILO_URL/v1/webhooks/psp/{psp-a,psp-b,bank})
  Stop                bash deploy/stop.sh

Demo clients (secrets generated into $PA_DATA/secrets.env):
  source $PA_DATA/secrets.env
  curl -s -u merchant-a:\$MERCHANT_A_CLIENT_SECRET -d grant_type=client_credentials $SILO_URL/connect/token

SUMMARY
