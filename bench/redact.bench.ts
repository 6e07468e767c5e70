// `npm run bench`: masking secrets in what leaves a run, on realistic generated traces of 10k and 100k spans, next
// to building the same trace (the cost every run already pays), so the two compare within one run. Writes
// bench/redact-results.json with the machine it ran on. Medians of repeated runs.
import { writeFileSync } from 'node:fs';
import { createRedactor } from '../src/core/redact/redactor';
import { redactTrace } from '../src/core/redact/results';
import { buildTrace } from '../src/core/trace/build';
import { generateRawSpans, GENERATED_TRACE_ID } from '../test/support/generated-trace';
import { machine as machineInfo, measure } from './measure';

/** Two secrets, as a run with an API key and a password has: every form of both is searched for. */
const SECRETS = ['s3cr3t p@ss/+"w0rd', 'sk_live_4eC39HqLyjWDarjtT1zdp7dc'];
const redactor = createRedactor(SECRETS);

interface Row {
  spans: number;
  case: string;
  medianMs: number;
}
const rows: Row[] = [];
for (const size of [10_000, 100_000]) {
  const budget = size >= 100_000 ? 4000 : 1500;
  const raw = generateRawSpans(size);
  rows.push({ spans: size, case: 'buildTrace (for comparison)', medianMs: measure(() => buildTrace(raw, { traceId: GENERATED_TRACE_ID }), budget) });
  const clean = buildTrace(raw, { traceId: GENERATED_TRACE_ID });
  rows.push({ spans: size, case: 'redactTrace, no secret in the trace (returned as is)', medianMs: measure(() => redactTrace(clean, redactor), budget) });
  // One span in a hundred echoes a secret (a header, a URL): the whole trace is copied with those masked.
  const leaky = generateRawSpans(size).map((span, i) =>
    i % 100 === 0 ? { ...span, attributes: new Map([...span.attributes, ['http.request.header.authorization', `Bearer ${SECRETS[1]}`]]) } : span,
  );
  const withSecrets = buildTrace(leaky, { traceId: GENERATED_TRACE_ID });
  rows.push({ spans: size, case: 'redactTrace, a secret in 1% of spans (masked copy)', medianMs: measure(() => redactTrace(withSecrets, redactor), budget) });
}
const body = JSON.stringify({ items: Array.from({ length: 8000 }, (_, i) => ({ id: i, name: `item ${i}`, note: 'x'.repeat(100) })) });
rows.push({
  spans: 0,
  case: `redactor.text on a ${(body.length / 2 ** 20).toFixed(1)} MiB response body, no secret`,
  medianMs: measure(() => redactor.text(body), 1500),
});
const echoed = body.replace(/item 7/g, `item ${SECRETS[0]}`);
rows.push({ spans: 0, case: 'the same body with the secret 1,111 times', medianMs: measure(() => redactor.text(echoed), 1500) });

const machine = machineInfo();
console.log(`Tracelens redaction benchmark — ${machine.cpu}, ${machine.cores} cores, Node ${machine.node}`);
console.log('| spans | case | median ms |\n|---:|---|---:|');
for (const r of rows) console.log(`| ${r.spans ? r.spans.toLocaleString('en') : ''} | ${r.case} | ${r.medianMs.toFixed(2)} |`);
writeFileSync(new URL('./redact-results.json', import.meta.url), `${JSON.stringify({ date: new Date().toISOString(), machine, results: rows }, null, 2)}\n`);
console.log('\nwrote bench/redact-results.json');
