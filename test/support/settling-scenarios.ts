// How spans really arrive (the settling spec's arrival shapes) as runnable scenarios: a two-service system whose SDKs
// export in one shape, a test of it, and what a right judgement is. Run by test/unit/settling/ (every run must be judged
// right) and bench/settling.bench.ts (how long each run waits after its trace's last span).
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Status, TestRunResult } from '../../src/core/engine/result';
import { readTestFile } from '../../src/run/files';
import { RunHistory } from '../../src/run/run-history';
import { Runner, type RunEvent } from '../../src/run/runner';
import { startReceiver } from '../../src/run/sources/otlp/receiver';
import { ReceiverSource } from '../../src/run/sources/receiver-source';
import type { Timing } from '../../src/run/timing';
import { startShapedSystem, type ServiceConfig } from './shaped-service/index';

type ServiceShape = Omit<ServiceConfig, 'otlpUrl' | 'downstream' | 'name'>;

export interface Scenario {
  name: string;
  front: ServiceShape;
  back: ServiceShape;
  trigger: 'GET /work' | 'POST /orders';
  /** The test's `specs:` list, YAML indented by two spaces. */
  specs: string;
  /** A right judgement: the test's status, and each spec's. */
  expected: { status: Status; specs: Status[] };
}

const TICKER_5S = { kind: 'ticker', periodMs: 5_000, phaseMs: 0 } as const;
/** The back service ticks half a period after the front: their batches for one trace arrive apart. */
const TICKER_5S_APART = { kind: 'ticker', periodMs: 5_000, phaseMs: 2_500 } as const;

const BOTH_SERVICES = `  - name: the front answered
    selector: span[service.name="front" name="GET /work"]
    assertions:
    - attr:http.response.status_code = 200
  - name: the back loaded its data
    selector: span[service.name="back" name="load"]
    assertions:
    - attr:db.system = "sqlite"
`;

/** A negative spec: the back service does charge a card, so a right judgement fails it. */
const NO_CARD_CHARGED = `  - name: no card is charged
    selector: span[name="charge card"]
    assertions:
    - attr:tracetest.selected_spans.count = 0
`;

export const SCENARIOS: readonly Scenario[] = [
  {
    name: 'fixed 5 s tickers, phases apart (Java, Go, Python, .NET)',
    front: { shape: TICKER_5S },
    back: { shape: TICKER_5S_APART },
    trigger: 'GET /work',
    specs: BOTH_SERVICES,
    expected: { status: 'passed', specs: ['passed', 'passed'] },
  },
  {
    name: 'the JS SDK with its stock 5 s batches',
    front: { shape: { kind: 'sdk-default' } },
    back: { shape: { kind: 'sdk-default' } },
    trigger: 'GET /work',
    specs: BOTH_SERVICES,
    expected: { status: 'passed', specs: ['passed', 'passed'] },
  },
  {
    name: '100 ms exporters',
    front: { shape: { kind: 'batch', delayMs: 100 } },
    back: { shape: { kind: 'batch', delayMs: 100 } },
    trigger: 'GET /work',
    specs: BOTH_SERVICES,
    expected: { status: 'passed', specs: ['passed', 'passed'] },
  },
  {
    name: 'a service that never reports',
    front: { shape: TICKER_5S },
    back: { shape: { kind: 'none' } },
    trigger: 'GET /work',
    specs: BOTH_SERVICES,
    expected: { status: 'failed', specs: ['passed', 'failed'] },
  },
  {
    name: 'an asynchronous consumer that runs after the response (5 s tickers)',
    front: { shape: TICKER_5S, asyncDelayMs: 150 },
    back: { shape: TICKER_5S_APART },
    trigger: 'POST /orders',
    specs: `  - name: the order was answered
    selector: span[service.name="front" name="POST /orders"]
    assertions:
    - attr:http.response.status_code = 201
  - name: the order was consumed
    selector: span[service.name="back" name="orders process"]
    assertions:
    - attr:messaging.system = "test-queue"
`,
    expected: { status: 'passed', specs: ['passed', 'passed'] },
  },
  {
    name: 'a negative spec whose span comes later in the export period (5 s tickers)',
    front: { shape: TICKER_5S },
    back: { shape: TICKER_5S_APART, extraSpan: 'charge card' },
    trigger: 'GET /work',
    specs: NO_CARD_CHARGED,
    expected: { status: 'failed', specs: ['failed'] },
  },
  {
    name: 'a negative spec with 100 ms exporters (once learned, waited for only as long as they take)',
    front: { shape: { kind: 'batch', delayMs: 100 } },
    back: { shape: { kind: 'batch', delayMs: 100 }, extraSpan: 'charge card' },
    trigger: 'GET /work',
    specs: NO_CARD_CHARGED,
    expected: { status: 'failed', specs: ['failed'] },
  },
];

export interface RunOutcome {
  status: Status;
  specs: Status[];
  right: boolean;
  /** From the receiver storing the trace's last span to the runner's result. */
  waitAfterLastSpanMs: number;
  durationMs: number;
  error?: string;
  lateSpans: number;
}

export interface ScenarioRun {
  outcomes: RunOutcome[];
  /** What the receiver learned about each service: how long after the response it is waited for (undefined: not known). */
  bounds: Record<string, number | undefined>;
}

export interface ScenarioOptions {
  runs: number;
  /** Runs in flight at once; their starts are spread over one 5 s period. */
  workers: number;
  timing?: Partial<Timing>;
}

export async function runScenario(scenario: Scenario, options: ScenarioOptions): Promise<ScenarioRun> {
  const receiver = await startReceiver({ httpPort: 0, grpcPort: null });
  const otlpUrl = `http://127.0.0.1:${receiver.httpPort}`;
  const system = await startShapedSystem(otlpUrl, scenario.front, scenario.back);
  const source = new ReceiverSource(receiver.store, receiver.description);
  const lastSpanAt = new Map<string, number>();
  const stopWatching = receiver.store.subscribeAll((trace) => lastSpanAt.set(trace.traceId, performance.now()));
  try {
    const dir = mkdtempSync(join(tmpdir(), 'tracelens-settling-'));
    const file = join(dir, 'scenario.yaml');
    const [method, path] = scenario.trigger.split(' ');
    writeFileSync(
      file,
      `type: Test\nspec:\n  id: scenario\n  name: ${scenario.name}\n  trigger:\n    type: http\n    httpRequest:\n      method: ${method}\n      url: ${system.front.url}${path}\n  specs:\n${scenario.specs}`,
    );
    const loaded = await readTestFile(file);
    const history = new RunHistory();
    const outcomes: RunOutcome[] = [];
    let next = 0;
    const worker = async (index: number): Promise<void> => {
      await new Promise((resolve) => setTimeout(resolve, (index * 5_000) / options.workers));
      while (next < options.runs) {
        next++;
        let finishedAt = 0;
        let lateSpans = 0;
        const runner = new Runner({
          variables: new Map(),
          source,
          history,
          ...(options.timing ? { timing: options.timing } : {}),
          onEvent: (e: RunEvent) => {
            if (e.type === 'test-finished') finishedAt = performance.now();
            if (e.type === 'test-progress' && e.phase === 'late') lateSpans += e.late.spans;
          },
        });
        const [result] = (await runner.runFiles([loaded])) as [TestRunResult];
        outcomes.push(judge(scenario, result, finishedAt - (lastSpanAt.get(result.traceId) ?? finishedAt), () => lateSpans));
      }
    };
    await Promise.all(Array.from({ length: options.workers }, (_, i) => worker(i)));
    const bounds = Object.fromEntries(['front', 'back'].map((s) => [s, source.lateness.boundOf(s, options.timing?.exportDelayMs ?? 5_500)]));
    return { outcomes, bounds };
  } finally {
    stopWatching();
    await system.close();
    source.dispose();
    await receiver.close();
  }
}

function judge(scenario: Scenario, result: TestRunResult, waitAfterLastSpanMs: number, lateSpans: () => number): RunOutcome {
  const specs = result.specs.map((s) => s.status);
  const outcome: RunOutcome = {
    status: result.status,
    specs,
    right: result.status === scenario.expected.status && specs.join() === scenario.expected.specs.join(),
    waitAfterLastSpanMs,
    durationMs: result.durationMs,
    ...(result.error ? { error: result.error } : {}),
    get lateSpans() {
      return lateSpans();
    },
  };
  return outcome;
}

/** `17 of 20 right; wrong: failed [passed, failed] ×3 (…)`: for assertion messages. */
export function describeOutcomes(run: ScenarioRun): string {
  const wrong = run.outcomes.filter((o) => !o.right);
  const kinds = new Map<string, number>();
  for (const o of wrong) {
    const key = `${o.status} [${o.specs.join(', ')}]${o.error ? ` ${o.error}` : ''}`;
    kinds.set(key, (kinds.get(key) ?? 0) + 1);
  }
  return `${run.outcomes.length - wrong.length} of ${run.outcomes.length} right${wrong.length ? `; wrong: ${[...kinds].map(([k, n]) => `${k} ×${n}`).join('; ')}` : ''}`;
}
