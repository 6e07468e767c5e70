// Every run judged right, whatever the way spans arrive: two services, each its own process with the real
// OpenTelemetry JS SDK exporting to the real receiver in one of the shapes real SDKs have (fixed 5 s tickers with
// the processes' phases apart, the JS SDK's stock 5 s batches, 100 ms exporters, a service that never reports, a
// consumer that runs after the response, a negative spec). 20 runs each, with the default settings; outcomes are
// counted, never timed.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { describeOutcomes, runScenario, SCENARIOS } from '../../support/settling-scenarios';

const RUNS = 20;

describe('settling: every run of every arrival shape is judged right', { concurrency: SCENARIOS.length }, () => {
  for (const scenario of SCENARIOS) {
    it(scenario.name, { timeout: 240_000 }, async () => {
      const run = await runScenario(scenario, { runs: RUNS, workers: 5 });
      assert.equal(run.outcomes.length, RUNS);
      assert.equal(run.outcomes.filter((o) => o.right).length, RUNS, describeOutcomes(run));
    });
  }
});
