// `npm run bench`: selector evaluation, a 10-spec test and the analyzer on generated traces of 1k, 10k and 100k spans.
// Prints a table and writes bench/results.json with the machine it ran on. Figures are medians of repeated runs.
// `--before <results.json>` (the same bench run just before on the previous commit) adds its medians as `beforeMs`:
// on a shared machine, figures are only comparable within one sitting.
import { readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { analyze, analyzerConfig } from '../src/core/analyzer/index';
import { evaluateTest } from '../src/core/engine/evaluate';
import { matchSelector, parseSelector } from '../src/core/selector/index';
import { buildTrace } from '../src/core/trace/build';
import type { Trace } from '../src/core/trace/model';
import { generateRawSpans } from '../test/support/generated-trace';
import { machine as machineInfo, measure, median } from './measure';
import { BROAD_SPECS, generateTrace, loadTest, SELECTIVE_SPECS, testYaml } from './pokeshop-trace';

const SIZES = [1_000, 10_000, 100_000];

const SELECTORS: Record<string, string> = {
  'attributes (3 filters)': 'span[tracetest.span.type="database" name="create pokeshop.pokemon" db.operation="create"]',
  'descendant chain': 'span[tracetest.span.type="http" name="POST /pokemon/import"] span[tracetest.span.type="database"]',
  'union + pseudo-class': 'span[messaging.operation="publish"]:first, span[name="import pokemon"]:last, span[db.system="postgres"]:nth_child(3)',
};

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
