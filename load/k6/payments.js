// k6 scenario of the seed (section 5): ramp to 400 virtual users, hold, and check the SLOs.
// Each VU takes its own OAuth2 token once and sends every payment under a fresh Idempotency-Key.
//   source .data/secrets.env
//   k6 run -e BASE_URL=http://127.0.0.1:8080 -e CLIENT_SECRET=$MERCHANT_A_CLIENT_SECRET load/k6/payments.js
// Optional: -e VUS=400 -e RAMP=30s -e HOLD=15m -e CLIENT_ID=merchant-a
import http from 'k6/http';
import encoding from 'k6/encoding';
import { check } from 'k6';
import { Counter, Rate } from 'k6/metrics';
import exec from 'k6/execution';

const BASE_URL = __ENV.BASE_URL || 'http://127.0.0.1:8080';
const CLIENT_ID = __ENV.CLIENT_ID || 'merchant-a';
const CLIENT_SECRET = __ENV.CLIENT_SECRET;
const VUS = parseInt(__ENV.VUS || '400', 10);

const paymentErrors = new Rate('payment_errors');
const captured = new Counter('payments_captured');

export const options = {
  scenarios: {
    create_capture: {
      executor: 'ramping-vus',
      startVUs: 0,
      stages: [
        { duration: __ENV.RAMP || '30s', target: VUS },
        { duration: __ENV.HOLD || '15m', target: VUS },
        { duration: '10s', target: 0 },
      ],
      gracefulRampDown: '10s',
    },
  },
  thresholds: {
    // Seed section 5 SLOs, measured at the client (they include the PSP simulator round trip).
    'http_req_duration{name:create_payment}': ['p(50)<=150', 'p(95)<=500', 'p(99)<=1200'],
    // The error-rate alert of deploy/observability fires at 1 %; the load test must stay well below it.
    payment_errors: [{ threshold: 'rate<0.001', abortOnFail: true, delayAbortEval: '30s' }],
    http_req_failed: ['rate<0.001'],
  },
  discardResponseBodies: false,
};

let token = null;

function fetchToken() {
  const res = http.post(`${BASE_URL}/connect/token`,
    { grant_type: 'client_credentials', scope: 'payments:write' },
    { headers: { Authorization: `Basic ${encoding.b64encode(`${CLIENT_ID}:${CLIENT_SECRET}`)}` }, tags: { name: 'token' } });
  check(res, { 'token issued': (r) => r.status === 200 });
  return res.json('access_token');
}

function uuid() {
  // Unique per request: VU id, iteration and randomness; the API accepts any 1-255 character key.
  return `${exec.vu.idInTest}-${exec.vu.iterationInScenario}-${Math.random().toString(36).slice(2)}${Date.now().toString(36)}`;
}

export function setup() {
  if (!CLIENT_SECRET) {
    throw new Error('Set CLIENT_SECRET (source .data/secrets.env; use $MERCHANT_A_CLIENT_SECRET).');
  }
}

export default function () {
  if (token === null) {
    token = fetchToken(); // once per VU: each virtual user is its own authenticated client
  }
  const body = JSON.stringify({
    amount_minor: 100 + Math.floor(Math.random() * 99900),
    currency: 'EUR',
    capture: true,
    reference: `k6-${exec.vu.idInTest}-${exec.vu.iterationInScenario}`,
    card: { number: '4242424242424242', exp_month: 12, exp_year: 2030, cvc: '123' },
  });
  const res = http.post(`${BASE_URL}/v1/payments`, body, {
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}`, 'Idempotency-Key': uuid() },
    tags: { name: 'create_payment' },
  });
  const ok = check(res, {
    'created or pending': (r) => r.status === 201 || r.status === 202,
    'captured': (r) => r.status !== 201 || r.json('state') === 'CAPTURED',
  });
  paymentErrors.add(!ok);
  if (ok && res.status === 201) {
    captured.add(1);
  }
}
