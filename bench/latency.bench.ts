// "Last span → result": how long after the last span of a trace reaches the embedded receiver the runner hands
// back the test's result, with the default quiet window. A real run: a trigger sent to a service instrumented with
// the OpenTelemetry SDK, which exports to the receiver; timed from the store accepting the trace's last span to
// the runner's test-finished event. Prints a table and writes bench/latency-results.json.
// Run: node --import tsx bench/latency.bench.ts
import { mkdtempSync, writeFileSync } from 'node:fs';
import { machine } from './measure';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { readTestFile } from '../src/run/files';
import { Runner } from '../src/run/runner';
import { startReceiver } from '../src/run/sources/otlp/receiver';
import { ReceiverSource } from '../src/run/sources/receiver-source';
import { DEFAULT_TIMING } from '../src/run/timing';
import { startTracedService } from '../test/support/traced-service';

const RUNS = Number(process.env.RUNS ?? 20);
const TARGET_MS = 350;

async function main(): Promise<void> {
  const receiver = await startReceiver({ httpPort: 0, grpcPort: null });
  const service = await startTracedService(`http://127.0.0.1:${receiver.httpPort}`);
  const lastSpanAt = new Map<string, number>();
  receiver.store.subscribeAll((trace) => lastSpanAt.set(trace.traceId, performance.now()));

  const dir = mkdtempSync(join(tmpdir(), 'tracelens-latency-'));
  const file = join(dir, 'hello.yaml');
  writeFileSync(
    file,
    `type: Test\nspec:\n  id: hello\n  trigger:\n    type: http\n    httpRequest:\n      url: ${service.url}/hello\n  specs:\n  - selector: span[name="load greeting"]\n    assertions:\n    - attr:db.system = "sqlite"\n`,
  );
  const loaded = await readTestFile(file);
  const latencies: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    let finishedAt = 0;
    const runner = new Runner({
      variables: new Map(),
      source: new ReceiverSource(receiver.store, receiver.description),
      onEvent: (e) => {
        if (e.type === 'test-finished') finishedAt = performance.now();
      },
    });
    const [result] = await runner.runFiles([loaded]);
    if (result?.status !== 'passed') throw new Error(`run ${i}: ${result?.status} ${result?.error ?? ''}`);
    latencies.push(finishedAt - lastSpanAt.get(result.traceId)!);
  }
  await service.close();
  await receiver.close();

  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))]!;
  const figures = { runs: RUNS, quietMs: DEFAULT_TIMING.quietMs, medianMs: round(at(0.5)), p95Ms: round(at(0.95)), maxMs: round(latencies.at(-1)!) };
  console.log(
    `last span → result (quiet window ${figures.quietMs} ms, ${RUNS} runs): median ${figures.medianMs} ms, p95 ${figures.p95Ms} ms, max ${figures.maxMs} ms (target ≤ ${TARGET_MS} ms)`,
  );
  writeFileSync(
    join(__dirname, 'latency-results.json'),
    `${JSON.stringify({ date: new Date().toISOString(), machine: machine(), targetMs: TARGET_MS, ...figures }, null, 2)}\n`,
  );
}

const round = (n: number) => Math.round(n * 10) / 10;

void main();
