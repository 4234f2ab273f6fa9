// k6 scenario of the seed (section 5): create+capture payments and check the SLOs.
// Each VU is its own OAuth2 client (client credentials), refreshes its token before it expires, and
// sends every payment under a fresh Idempotency-Key.
//   source .data/secrets.env
//   k6 run -e BASE_URL=http://127.0.0.1:8080 -e CLIENT_SECRET=$MERCHANT_A_CLIENT_SECRET load/k6/payments.js
// SCENARIO=closed (default): ramp to VUS users, hold.    -e VUS=400 -e RAMP=30s -e HOLD=15m
// SCENARIO=open: a constant arrival rate, whatever the latency.
//                                                       -e RATE=500 -e DURATION=15m -e PRE_VUS=200 -e MAX_VUS=2000
// Also: -e CLIENT_ID=merchant-a -e AMOUNT_MIN=100 -e AMOUNT_MAX=99998 (minor units, inclusive)
import http from 'k6/http';
import encoding from 'k6/encoding';
import { check, sleep } from 'k6';
import { Counter, Rate } from 'k6/metrics';
import exec from 'k6/execution';

const BASE_URL = __ENV.BASE_URL || 'http://127.0.0.1:8080';
const CLIENT_ID = __ENV.CLIENT_ID || 'merchant-a';
const CLIENT_SECRET = __ENV.CLIENT_SECRET;
const SCENARIO = (__ENV.SCENARIO || 'closed').toLowerCase();
const VUS = int('VUS', 400);
const RATE = int('RATE', 500);
const PRE_VUS = int('PRE_VUS', 200);
const MAX_VUS = int('MAX_VUS', 2000);
const AMOUNT_MIN = int('AMOUNT_MIN', 100);
const AMOUNT_MAX = int('AMOUNT_MAX', 99998);

// Amounts the PSP simulator answers with a scripted outcome whatever the card (src/PspSimulator,
// TestCards.AmountLimitTrigger: declined for "amount limit"). A load test measures the happy path,
// so they are never drawn; a decline would count as an error.
const SIMULATOR_MAGIC_AMOUNTS = [99999].sort((a, b) => a - b);

const TOKEN_ATTEMPTS = 5;
const TOKEN_BACKOFF_BASE_S = 0.5;
const TOKEN_BACKOFF_MAX_S = 8;
// Refresh this long before expiry, so no request leaves with a token that expires in flight; a
// token is still sent up to the safety margin before expiry while a refresh keeps failing.
const TOKEN_REFRESH_MARGIN_S = 30;
const TOKEN_SAFETY_MARGIN_S = 5;

const paymentErrors = new Rate('payment_errors');
const tokenFailures = new Counter('token_failures');
const skippedNoToken = new Counter('payments_skipped_no_token');
const captured = new Counter('payments_captured');

function int(name, fallback) {
  const raw = __ENV[name];
  if (raw === undefined || raw === '') {
    return fallback;
  }
  const value = parseInt(raw, 10);
  if (!Number.isFinite(value) || value < 0 || String(value) !== raw.trim()) {
    throw new Error(`${name}=${raw}: expected a non-negative integer`);
  }
  return value;
}

const scenarios = {
  // Closed model: a fixed number of users, each sending its next payment when the last one answers.
  closed: {
    executor: 'ramping-vus',
    startVUs: 0,
    stages: [
      { duration: __ENV.RAMP || '30s', target: VUS },
      { duration: __ENV.HOLD || '15m', target: VUS },
      { duration: '10s', target: 0 },
    ],
    gracefulRampDown: '10s',
  },
  // Open model: arrivals keep coming at RATE/s when the platform slows down, as real merchants'
  // traffic does; a closed model would slow down with it and hide the queueing.
  open: {
    executor: 'constant-arrival-rate',
    rate: RATE,
    timeUnit: '1s',
    duration: __ENV.DURATION || '15m',
    preAllocatedVUs: PRE_VUS,
    maxVUs: MAX_VUS,
  },
};
if (!(SCENARIO in scenarios)) {
  throw new Error(`SCENARIO=${SCENARIO}: expected one of ${Object.keys(scenarios).join(', ')}`);
}
if (AMOUNT_MIN < 1 || AMOUNT_MAX < AMOUNT_MIN) {
  throw new Error(`AMOUNT_MIN=${AMOUNT_MIN}, AMOUNT_MAX=${AMOUNT_MAX}: expected 1 <= AMOUNT_MIN <= AMOUNT_MAX`);
}
const AMOUNTS_ALLOWED = AMOUNT_MAX - AMOUNT_MIN + 1
  - SIMULATOR_MAGIC_AMOUNTS.filter((a) => a >= AMOUNT_MIN && a <= AMOUNT_MAX).length;
if (AMOUNTS_ALLOWED < 1) {
  throw new Error(`AMOUNT_MIN..AMOUNT_MAX holds only the simulator's magic amounts ${SIMULATOR_MAGIC_AMOUNTS}`);
}

export const options = {
  scenarios: { [`create_capture_${SCENARIO}`]: scenarios[SCENARIO] },
  thresholds: {
    // Seed section 5 SLOs, measured at the client (they include the PSP simulator round trip).
    'http_req_duration{name:create_payment}': ['p(50)<=150', 'p(95)<=500', 'p(99)<=1200'],
    // The error-rate alert of deploy/observability fires at 1 %; the load test must stay well below it.
    // A payment not sent for want of a token counts here too.
    payment_errors: [{ threshold: 'rate<0.001', abortOnFail: true, delayAbortEval: '30s' }],
    http_req_failed: ['rate<0.001'],
  },
  discardResponseBodies: false,
};

// Per VU (each VU runs its own copy of this module).
let token = null;
let tokenRefreshAt = 0; // epoch ms
let tokenExpiresAt = 0; // epoch ms

// Uniform over AMOUNT_MIN..AMOUNT_MAX without the magic amounts: the k-th allowed amount, found by
// stepping over each magic amount at or below it, so no amount is more likely than another.
function drawAmount(random = Math.random) {
  let amount = AMOUNT_MIN + Math.floor(random() * AMOUNTS_ALLOWED);
  for (const magic of SIMULATOR_MAGIC_AMOUNTS) {
    if (magic >= AMOUNT_MIN && magic <= amount) {
      amount += 1;
    }
  }
  return amount;
}

function requestToken() {
  const res = http.post(`${BASE_URL}/connect/token`,
    { grant_type: 'client_credentials', scope: 'payments:write' },
    {
      headers: { Authorization: `Basic ${encoding.b64encode(`${CLIENT_ID}:${CLIENT_SECRET}`)}` },
      tags: { name: 'token' },
    });
  if (res.status !== 200) {
    return null;
  }
  let body;
  try {
    body = res.json();
  } catch (e) {
    return null;
  }
  if (!body || typeof body.access_token !== 'string' || body.access_token === '') {
    return null;
  }
  // expires_in is optional in OAuth2; without it, assume the platform's shortest lifetime (1 min).
  const lifetimeS = Number.isFinite(body.expires_in) && body.expires_in > 0 ? body.expires_in : 60;
  return { value: body.access_token, lifetimeS };
}

// A usable token, or null once every attempt failed: the caller must then not send the request.
function currentToken() {
  const now = Date.now();
  if (token !== null && now < tokenRefreshAt) {
    return token;
  }
  // Due for refresh but still valid: one attempt per iteration, and the old token meanwhile, so a
  // token endpoint outage does not slow the payments down before it has to.
  const stillValid = token !== null && now < tokenExpiresAt - TOKEN_SAFETY_MARGIN_S * 1000;
  const attempts = stillValid ? 1 : TOKEN_ATTEMPTS;
  for (let attempt = 1; attempt <= attempts; attempt++) {
    const issued = requestToken();
    if (check(issued, { 'token issued': (t) => t !== null })) {
      token = issued.value;
      // Half the lifetime when it is shorter than twice the margin, so a short-lived token is
      // still used for something before it is refreshed.
      const margin = Math.min(TOKEN_REFRESH_MARGIN_S, issued.lifetimeS / 2);
      tokenRefreshAt = Date.now() + (issued.lifetimeS - margin) * 1000;
      tokenExpiresAt = Date.now() + issued.lifetimeS * 1000;
      return token;
    }
    tokenFailures.add(1);
    if (attempt < attempts) {
      // Exponential backoff with full jitter: VUs that failed together do not retry together.
      const cap = Math.min(TOKEN_BACKOFF_MAX_S, TOKEN_BACKOFF_BASE_S * 2 ** (attempt - 1));
      sleep(Math.random() * cap);
    }
  }
  if (stillValid) {
    return token;
  }
  token = null;
  return null;
}

function idempotencyKey() {
  // Unique per request: VU id, iteration and randomness; the API accepts any 1-255 character key.
  return `${exec.vu.idInTest}-${exec.vu.iterationInScenario}-${Math.random().toString(36).slice(2)}${Date.now().toString(36)}`;
}

export function setup() {
  if (!CLIENT_SECRET) {
    throw new Error('Set CLIENT_SECRET (source .data/secrets.env; use $MERCHANT_A_CLIENT_SECRET).');
  }
}

export default function () {
  const bearer = currentToken();
  if (bearer === null) {
    // Never "Bearer undefined": the payment is not sent, and counts as an error.
    skippedNoToken.add(1);
    paymentErrors.add(true);
    return;
  }
  const body = JSON.stringify({
    amount_minor: drawAmount(),
    currency: 'EUR',
    capture: true,
    reference: `k6-${exec.vu.idInTest}-${exec.vu.iterationInScenario}`,
    card: { number: '4242424242424242', exp_month: 12, exp_year: 2030, cvc: '123' },
  });
  const res = http.post(`${BASE_URL}/v1/payments`, body, {
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${bearer}`, 'Idempotency-Key': idempotencyKey() },
    tags: { name: 'create_payment' },
  });
  if (res.status === 401) {
    // Revoked or expired early (e.g. a signing key rotated): fetch a new token next iteration.
    token = null;
  }
  const ok = check(res, {
    'created or pending': (r) => r.status === 201 || r.status === 202,
    'captured': (r) => r.status !== 201 || r.json('state') === 'CAPTURED',
  });
  paymentErrors.add(!ok);
  if (ok && res.status === 201) {
    captured.add(1);
  }
}
