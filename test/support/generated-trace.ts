// Realistic traces of any size for the panel's tests and benchmarks: requests fanning out through services
// (HTTP, gRPC, database, messaging), loops of repeated database calls under one parent, a few errors. Seeded, so
// the same size gives the same trace.
import { buildTrace } from '../../src/core/trace/build';
import type { RawSpan, SpanKind, Trace } from '../../src/core/trace/model';
import { seededRandom } from './random';

export const GENERATED_TRACE_ID = '5b8aa5a2d2c872e8321cf37308d69df2';

interface Operation {
  service: string;
  name: string;
  kind: SpanKind;
  attrs: Record<string, string>;
  /** Operations this one calls, by index in OPERATIONS. */
  calls: number[];
  /** How many times each call repeats (a loop of queries). */
  repeat?: number;
}

const OPERATIONS: Operation[] = [
  {
    service: 'gateway',
    name: 'POST /orders',
    kind: 'server',
    attrs: { 'http.request.method': 'POST', 'http.route': '/orders', 'http.response.status_code': '201' },
    calls: [1, 2, 5],
  },
  {
    service: 'orders',
    name: 'orders.Orders/Create',
    kind: 'server',
    attrs: { 'rpc.system': 'grpc', 'rpc.service': 'orders.Orders', 'rpc.method': 'Create' },
    calls: [3, 4, 6],
  },
  {
    service: 'users',
    name: 'GET /users/{id}',
    kind: 'server',
    attrs: { 'http.request.method': 'GET', 'http.route': '/users/{id}', 'http.response.status_code': '200' },
    calls: [7],
  },
  {
    service: 'orders',
    name: 'INSERT orders',
    kind: 'client',
    attrs: { 'db.system': 'postgresql', 'db.operation.name': 'INSERT', 'db.collection.name': 'orders' },
    calls: [],
  },
  {
    service: 'orders',
    name: 'SELECT products',
    kind: 'client',
    attrs: { 'db.system': 'postgresql', 'db.operation.name': 'SELECT', 'db.collection.name': 'products' },
    calls: [],
    repeat: 4,
  },
  {
    service: 'gateway',
    name: 'orders publish',
    kind: 'producer',
    attrs: { 'messaging.system': 'rabbitmq', 'messaging.destination.name': 'orders', 'messaging.operation.type': 'publish' },
    calls: [8],
  },
  { service: 'orders', name: 'GET /inventory', kind: 'client', attrs: { 'http.request.method': 'GET', 'http.response.status_code': '200' }, calls: [9] },
  { service: 'users', name: 'redis GET', kind: 'client', attrs: { 'db.system': 'redis', 'db.operation.name': 'GET' }, calls: [] },
  {
    service: 'worker',
    name: 'orders process',
    kind: 'consumer',
    attrs: { 'messaging.system': 'rabbitmq', 'messaging.destination.name': 'orders', 'messaging.operation.type': 'process' },
    calls: [10, 11],
  },
  {
    service: 'inventory',
    name: 'GET /inventory',
    kind: 'server',
    attrs: { 'http.request.method': 'GET', 'http.route': '/inventory', 'http.response.status_code': '200' },
    calls: [12],
    repeat: 1,
  },
  { service: 'worker', name: 'send confirmation', kind: 'internal', attrs: { 'email.template': 'order-confirmation' }, calls: [] },
  {
    service: 'worker',
    name: 'UPDATE orders',
    kind: 'client',
    attrs: { 'db.system': 'postgresql', 'db.operation.name': 'UPDATE', 'db.collection.name': 'orders' },
    calls: [],
  },
  {
    service: 'inventory',
    name: 'SELECT stock',
    kind: 'client',
    attrs: { 'db.system': 'postgresql', 'db.operation.name': 'SELECT', 'db.collection.name': 'stock' },
    calls: [],
    repeat: 3,
  },
];

/**
 * About `size` spans (exactly `size`, counting the trigger span buildTrace adds): batches of order requests under
 * one `batch` span per 200 requests under one `load test` root, each request a tree of the operations above.
 */
export function generateRawSpans(size: number, seed = 7): RawSpan[] {
  const rand = seededRandom(seed);
  const spans: RawSpan[] = [];
  const limit = size - 1; // the trigger span
  let next = 1;
  const t0 = 1_700_000_000_000_000_000n;
  const newId = () => (next++).toString(16).padStart(16, '0');
  const push = (parentId: string, op: Pick<Operation, 'service' | 'name' | 'kind' | 'attrs'>, startNs: bigint, durationNs: bigint, error: boolean): string => {
    const id = newId();
    spans.push({
      traceId: GENERATED_TRACE_ID,
      id,
      parentId,
      name: op.name,
      kind: op.kind,
      startTime: startNs,
      endTime: startNs + durationNs,
      status: error ? { code: 'STATUS_CODE_ERROR', message: 'deadline exceeded' } : { code: 'STATUS_CODE_UNSET', message: '' },
      resource: resourceFor(op.service),
      scope: { name: `@example/${op.service}`, version: '1.4.0', attributes: new Map() },
      attributes: new Map(Object.entries({ ...op.attrs, 'order.id': String(next * 7919) })),
      events: error ? [{ name: 'exception', time: startNs + durationNs / 2n, attributes: new Map([['exception.message', 'deadline exceeded']]) }] : [],
      links: [],
    });
    return id;
  };
  const resources = new Map<string, Map<string, string>>();
  function resourceFor(service: string): Map<string, string> {
    let r = resources.get(service);
    if (!r)
      resources.set(
        service,
        (r = new Map([
          ['service.name', service],
          ['telemetry.sdk.language', 'nodejs'],
        ])),
      );
    return r;
  }
  // Depth-first, so a request's spans stay together in span order.
  const call = (opIndex: number, parentId: string, startNs: bigint, budgetNs: bigint): void => {
    if (spans.length >= limit) return;
    const op = OPERATIONS[opIndex]!;
    const duration = budgetNs / 2n + BigInt(Math.floor(rand() * Number(budgetNs / 2n)));
    const id = push(parentId, op, startNs, duration, rand() < 0.002);
    let at = startNs + duration / 10n;
    for (const child of op.calls) {
      const times = OPERATIONS[child]!.repeat ?? 1;
      for (let i = 0; i < times; i++) {
        const slot = duration / BigInt(op.calls.length * times + 1);
        call(child, id, at, slot);
        at += slot;
      }
    }
  };
  const root = push('', { service: 'load-generator', name: 'load test', kind: 'internal', attrs: {} }, t0, 10_000_000_000n, false);
  let batch = '';
  for (let request = 0; spans.length < limit; request++) {
    if (request % 200 === 0)
      batch = push(root, { service: 'load-generator', name: 'batch', kind: 'internal', attrs: {} }, t0 + BigInt(request) * 2_000_000n, 400_000_000n, false);
    call(0, batch, t0 + BigInt(request) * 2_000_000n, 20_000_000n + BigInt(Math.floor(rand() * 30_000_000)));
  }
  return spans;
}

export function generateTrace(size: number, seed?: number): Trace {
  return buildTrace(generateRawSpans(size, seed), { traceId: GENERATED_TRACE_ID });
}
