// `npm run bench`: selector evaluation, a 10-spec test and the analyzer on generated traces of 1k, 10k and 100k spans.
// Prints a table and writes bench/results.json with the machine it ran on. Figures are medians of repeated runs.
// `--before <results.json>` (the same bench run just before on the previous commit) adds its medians as `beforeMs`:
// on a shared machine, figures are only comparable within one sitting.
import { readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { analyze, analyzerConfig } from '../src/core/analyzer/index';
import { evaluateTest } from '../src/core/engine/evaluate';
import { matchSelector, parseSelector } from '../src/core/selector/index';
import { loadFile } from '../src/core/testfile/index';
import type { TestDef } from '../src/core/testfile/model';
import { buildTrace } from '../src/core/trace/build';
import type { RawSpan, SpanKind, Trace } from '../src/core/trace/model';
import { generateRawSpans } from '../test/support/generated-trace';
import { machine as machineInfo, measure, median } from './measure';

const SIZES = [1_000, 10_000, 100_000];

const SELECTORS: Record<string, string> = {
  'attributes (3 filters)': 'span[tracetest.span.type="database" name="create pokeshop.pokemon" db.operation="create"]',
  'descendant chain': 'span[tracetest.span.type="http" name="POST /pokemon/import"] span[tracetest.span.type="database"]',
  'union + pseudo-class': 'span[messaging.operation="publish"]:first, span[name="import pokemon"]:last, span[db.system="postgres"]:nth_child(3)',
};

/** A traceid-triggered test whose specs are [selector, ...assertions]. */
function testYaml(id: string, specs: string[][]): string {
  const items = specs.map(
    ([selector, ...assertions]) =>
      `  - selector: ${JSON.stringify(selector)}\n    assertions:\n${assertions.map((a) => `      - ${JSON.stringify(a)}`).join('\n')}`,
  );
  return `type: Test\nspec:\n  id: ${id}\n  name: ${id}\n  trigger:\n    type: traceid\n    traceid:\n      id: \${var:TRACE_ID}\n  specs:\n${items.join('\n')}\n`;
}

/** Specs that each select a few spans (one request of many), as tests of real traces do. */
const SELECTIVE_SPECS = [
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
const BROAD_SPECS = [
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
function generateTrace(size: number): RawSpan[] {
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

function loadTest(yaml: string): TestDef {
  const loaded = loadFile(yaml, 'bench.yaml');
  const test = loaded.resources[0]?.resource as TestDef | undefined;
  if (!test || loaded.problems.length > 0) throw new Error(`bench test does not load: ${loaded.problems.map((p) => p.message).join('; ')}`);
  return test;
}
const selective = loadTest(testYaml('ten-selective-specs', SELECTIVE_SPECS));
const broad = loadTest(testYaml('ten-broad-specs', BROAD_SPECS));

interface Row {
  spans: number;
  case: string;
  medianMs: number;
  matched?: number;
  beforeMs?: number;
}
const rows: Row[] = [];
for (const size of SIZES) {
  const raw = generateTrace(size);
  const budget = size >= 100_000 ? 3000 : 1000;
  rows.push({ spans: size, case: 'buildTrace (tree, order, synthesized attributes)', medianMs: measure(() => buildTrace(raw), budget) });
  const trace = buildTrace(raw);
  for (const [label, text] of Object.entries(SELECTORS)) {
    const parsed = parseSelector(text);
    if (!parsed.ok) throw new Error(`${label}: ${parsed.error.message}`);
    rows.push({
      spans: size,
      case: `select: ${label}`,
      medianMs: measure(() => matchSelector(trace, parsed.value), budget),
      matched: matchSelector(trace, parsed.value).length,
    });
  }
  const vars = new Map([['TRACE_ID', trace.traceId]]);
  const first = parseSelector(Object.values(SELECTORS)[0]!);
  if (first.ok) {
    // Each sample on a trace no query has read yet (its attribute columns are built on first use).
    const samples: number[] = [];
    for (let i = 0; i < 5; i++) {
      const coldTrace = buildTrace(raw);
      const t0 = performance.now();
      matchSelector(coldTrace, first.value);
      samples.push(performance.now() - t0);
    }
    rows.push({ spans: size, case: 'select: attributes (3 filters), first query on a new trace', medianMs: median(samples) });
  }
  rows.push({
    spans: size,
    case: '10-spec test, selective specs (parse + select + evaluate)',
    medianMs: measure(() => evaluateTest(selective, trace, vars), budget),
  });
  rows.push({ spans: size, case: '10-spec test, broad specs (~10% of spans each)', medianMs: measure(() => evaluateTest(broad, trace, vars), budget) });
  rows.push({ spans: size, case: 'analyzer, every rule: this trace (pre-2023 names, a resource map per span)', ...analyzerRow(trace, budget) });
  const realistic = buildTrace(generateRawSpans(size));
  rows.push({ spans: size, case: 'analyzer, every rule: realistic trace (current names, resources shared)', ...analyzerRow(realistic, budget) });
}

/** "matched" is the failures the rules found, summed. A new config each time: analyze() keeps its result per trace and config. */
function analyzerRow(trace: Trace, budget: number): Pick<Row, 'medianMs' | 'matched'> {
  const failures = analyze(trace, analyzerConfig())!
    .plugins.flatMap((p) => p.rules)
    .reduce((n, r) => n + r.failures.length, 0);
  return { medianMs: measure(() => analyze(trace, analyzerConfig()), budget), matched: failures };
}

const beforeAt = process.argv.indexOf('--before');
if (beforeAt > 0) {
  const before = (JSON.parse(readFileSync(process.argv[beforeAt + 1]!, 'utf8')) as { results: Row[] }).results;
  for (const r of rows) {
    const old = before.find((b) => b.spans === r.spans && b.case === r.case);
    if (old) r.beforeMs = old.medianMs;
  }
}

const machine = machineInfo();
const targets = {
  'buildTrace over 100k spans': '≤ 150 ms',
  'first query on a new 100k-span trace': '≤ 10 ms',
  'select over 100k spans': '≤ 20 ms',
  '10-spec test over 100k spans': '≤ 100 ms',
  'analyzer over 100k spans': '≤ a third of building the trace',
};

console.log(`Tracelens engine benchmark — ${machine.cpu}, ${machine.cores} cores, Node ${machine.node}`);
console.log('| spans | case | median ms | before ms | matched |\n|---:|---|---:|---:|---:|');
for (const r of rows)
  console.log(`| ${r.spans.toLocaleString('en')} | ${r.case} | ${r.medianMs.toFixed(2)} | ${r.beforeMs?.toFixed(2) ?? ''} | ${r.matched ?? ''} |`);
const load = loadavg().map((l) => Number(l.toFixed(1)));
writeFileSync(
  new URL('./results.json', import.meta.url),
  `${JSON.stringify({ date: new Date().toISOString(), machine, loadAverage: load, targets, results: rows }, null, 2)}\n`,
);
console.log('\nwrote bench/results.json');
