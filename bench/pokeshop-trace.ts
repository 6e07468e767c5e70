// The trace and tests the engine benchmarks judge: a Pokéshop-like import request (11 spans, 3 services) repeated
// under one root, and two 10-spec tests over it, one whose specs pick a few spans, one whose specs pick ~10% each.
import { loadFile } from '../src/core/testfile/index';
import type { TestDef } from '../src/core/testfile/model';
import type { RawSpan, SpanKind } from '../src/core/trace/model';

/** A traceid-triggered test whose specs are [selector, ...assertions]. */
export function testYaml(id: string, specs: string[][]): string {
  const items = specs.map(
    ([selector, ...assertions]) =>
      `  - selector: ${JSON.stringify(selector)}\n    assertions:\n${assertions.map((a) => `      - ${JSON.stringify(a)}`).join('\n')}`,
  );
  return `type: Test\nspec:\n  id: ${id}\n  name: ${id}\n  trigger:\n    type: traceid\n    traceid:\n      id: \${var:TRACE_ID}\n  specs:\n${items.join('\n')}\n`;
}

/** Specs that each select a few spans (one request of many), as tests of real traces do. */
export const SELECTIVE_SPECS = [
  ['span[tracetest.span.type="http" name="POST /pokemon/import" pokemon.id="42"]', 'attr:http.status_code = 200', 'attr:tracetest.span.duration < 2s'],
  ['span[pokemon.id="42"] span[tracetest.span.type="general" name="validate request"]', 'attr:validation.is_valid = "true"'],
  ['span[pokemon.id="42"] span[tracetest.span.type="messaging" messaging.operation="publish"]', `attr:messaging.payload | json_path '$.id' = 143`],
  ['span[pokemon.id="42"] span[messaging.operation="process"]', 'attr:messaging.destination.name = "queue.synchronizePokemon"'],
  ['span[pokemon.id="42"] span[name="import pokemon"]', 'attr:tracetest.selected_spans.count >= 1'],
  ['span[pokemon.id="42"] span[tracetest.span.type="database" db.operation="create"]', 'attr:db.system = "postgres"', 'attr:tracetest.span.duration <= 50ms'],
  ['span[pokemon.id="42"] span[tracetest.span.type="database"]', 'attr:db.name = "pokeshop"'],
  ['span[pokemon.id="42"] span[name="GET pokeapi"]', 'attr:http.response.status_code = 200'],
  ['span[tracetest.span.type="http" kind="server"]:first', 'attr:http.route contains "/"'],
  ['span[service.name="worker" name="ack"]:last', 'attr:tracetest.span.status_code != "STATUS_CODE_ERROR"'],
];

/** Specs that each select every matching span of the trace (~10% of it): the worst case, ~100k span-assertions. */
export const BROAD_SPECS = [
  ['span[tracetest.span.type="http" name="POST /pokemon/import" http.method="POST"]', 'attr:http.status_code = 200', 'attr:tracetest.span.duration < 2s'],
  ['span[tracetest.span.type="general" name="validate request"]', 'attr:validation.is_valid = "true"'],
  ['span[tracetest.span.type="messaging" messaging.operation="publish"]', `attr:messaging.payload | json_path '$.id' = 143`],
  ['span[tracetest.span.type="messaging" messaging.operation="process"]', 'attr:messaging.destination.name = "queue.synchronizePokemon"'],
  ['span[tracetest.span.type="general" name="import pokemon"]', 'attr:tracetest.selected_spans.count >= 1'],
  ['span[tracetest.span.type="database" db.operation="create"]', 'attr:db.system = "postgres"', 'attr:tracetest.span.duration <= 50ms'],
  ['span[tracetest.span.type="http" name="POST /pokemon/import"] span[tracetest.span.type="database"]', 'attr:db.name = "pokeshop"'],
  ['span[name="GET pokeapi"]', 'attr:http.response.status_code = 200'],
  ['span[tracetest.span.type="http" kind="server"]:first', 'attr:http.route contains "/pokemon"'],
  ['span[service.name="worker"]', 'attr:tracetest.span.status_code != "STATUS_CODE_ERROR"'],
];

/** A Pokéshop-like import request (11 spans, 3 services) repeated under one root until the size is reached. */
export function generateTrace(size: number): RawSpan[] {
  const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
  const spans: RawSpan[] = [];
  let next = 1;
  let clock = 1_700_000_000_000_000_000n;
  const add = (parentId: string, name: string, service: string, kind: SpanKind, attrs: Record<string, string>, durationNs: bigint): string => {
    const id = (next++).toString(16).padStart(16, '0');
    clock += 1000n;
    spans.push({
      traceId,
      id,
      parentId,
      name,
      kind,
      startTime: clock,
      endTime: clock + durationNs,
      status: { code: 'STATUS_CODE_UNSET', message: '' },
      resource: new Map([
        ['service.name', service],
        ['service.version', '1.4.2'],
        ['telemetry.sdk.language', 'nodejs'],
      ]),
      scope: { name: '@opentelemetry/instrumentation-http', version: '0.216.0', attributes: new Map() },
      attributes: new Map(Object.entries(attrs)),
      events: [],
      links: [],
    });
    return id;
  };
  const root = add('', 'POST /batch', 'api', 'server', { 'http.method': 'POST', 'http.route': '/batch' }, 5_000_000_000n);
  let request = 0;
  while (spans.length < size) {
    const http = add(
      root,
      'POST /pokemon/import',
      'api',
      'server',
      { 'http.method': 'POST', 'http.route': '/pokemon/import', 'http.status_code': '200', 'pokemon.id': String(request++) },
      25_187_564n,
    );
    add(http, 'validate request', 'api', 'internal', { 'validation.is_valid': 'true' }, 120_000n);
    const pub = add(
      http,
      'queue.synchronizePokemon publish',
      'api',
      'producer',
      {
        'messaging.system': 'rabbitmq',
        'messaging.operation': 'publish',
        'messaging.destination.name': 'queue.synchronizePokemon',
        'messaging.payload': '{"id":143}',
      },
      2_000_000n,
    );
    const proc = add(
      pub,
      'queue.synchronizePokemon process',
      'worker',
      'consumer',
      { 'messaging.system': 'rabbitmq', 'messaging.operation': 'process', 'messaging.destination.name': 'queue.synchronizePokemon' },
      90_000_000n,
    );
    const imp = add(proc, 'import pokemon', 'worker', 'internal', {}, 80_000_000n);
    add(
      imp,
      'GET pokeapi',
      'worker',
      'client',
      { 'http.method': 'GET', 'http.url': 'https://pokeapi.co/api/v2/pokemon/143', 'http.response.status_code': '200' },
      40_000_000n,
    );
    add(
      imp,
      'create pokeshop.pokemon',
      'worker',
      'client',
      { 'db.system': 'postgres', 'db.name': 'pokeshop', 'db.operation': 'create', 'db.statement': 'INSERT INTO pokemon (name) VALUES ($1)' },
      3_000_000n,
    );
    add(http, 'findUnique pokeshop.pokemon', 'api', 'client', { 'db.system': 'postgres', 'db.name': 'pokeshop', 'db.operation': 'findUnique' }, 1_500_000n);
    add(imp, 'cache set', 'worker', 'client', { 'db.system': 'redis', 'db.operation': 'set' }, 400_000n);
    add(proc, 'ack', 'worker', 'internal', { 'messaging.system': 'rabbitmq' }, 100_000n);
  }
  return spans.slice(0, size);
}

export function loadTest(yaml: string): TestDef {
  const loaded = loadFile(yaml, 'bench.yaml');
  const test = loaded.resources[0]?.resource as TestDef | undefined;
  if (!test || loaded.problems.length > 0) throw new Error(`bench test does not load: ${loaded.problems.map((p) => p.message).join('; ')}`);
  return test;
}
