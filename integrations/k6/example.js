// k6 run --out json=k6.json integrations/k6/example.js
// tracelens check demo/load/import-under-load.yaml --vars demo/tests/vars.yaml --trace-ids k6.json
import http from 'k6/http';
import { check } from 'k6';
import { tracedParams } from './tracelens.js';

export const options = {
  scenarios: {
    orders: { executor: 'constant-arrival-rate', rate: 20, timeUnit: '1s', duration: '30s', preAllocatedVUs: 20 },
  },
};

export default function () {
  const body = JSON.stringify({ id: 52 });
  const res = http.post(`${__ENV.API_URL || 'http://localhost:8081'}/pokemon/import`, body, tracedParams({ headers: { 'Content-Type': 'application/json' } }));
  check(res, { 'import accepted': (r) => r.status === 202 });
}
