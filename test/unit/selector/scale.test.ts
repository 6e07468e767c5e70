// Large traces: a 100k-deep chain must not overflow the stack, and matching stays linear in the trace size.
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { select } from '../../../src/core/selector';
import { spanValue } from '../../../src/core/trace/build';
import type { Trace } from '../../../src/core/trace/model';
import { TraceBuilder } from '../../support/trace-builder';

const SIZE = 100_000;
let trace: Trace;

/** One 100k-deep chain: every span is the parent of the next. Spans cycle through http, database and rpc. */
before(() => {
  const builder = new TraceBuilder();
  for (let i = 0; i < SIZE; i++) {
    const type = i % 3;
    builder.span(type === 0 ? 'POST /pokemon' : `op ${i % 50}`, {
      ref: `s${i}`,
      parent: i > 0 ? `s${i - 1}` : undefined,
      kind: i % 2 ? 'client' : 'server',
      attrs:
        type === 0
          ? { i, 'http.method': 'POST', 'http.status_code': 200 + (i % 5) }
          : type === 1
            ? { i, 'db.system': 'postgres', 'db.name': 'pokeshop' }
            : { i, 'rpc.system': 'grpc' },
    });
  }
  trace = builder.build();
});

function count(selector: string): number {
  const result = select(trace, selector);
  assert.ok(result.ok, selector);
  return result.value.length;
}

test('a 100k-deep chain trace does not overflow the stack', () => {
  assert.equal(trace.spans.at(-1)!.depth, SIZE);
  assert.equal(count('span[] span[] span[]'), SIZE + 1 - 2);
  assert.equal(count('span[i=0] span[i=99999]'), 1);
  assert.equal(count('span[i=99999] span[]'), 0);
  assert.equal(count('span[tracetest.span.type="http"]:last span[]'), 0);
  assert.equal(count('span[i=50000]:first span[tracetest.span.type="database"] span[tracetest.span.type="rpc"]:last'), 1);
  assert.equal(count('span[i>=99990], span[] span[i>=99995]'), 10);
});

test('a typical selector over 100k spans costs about as much as reading one attribute of every span', () => {
  const selectors = [
    'span[tracetest.span.type="http" name="POST /pokemon" http.status_code>=202]',
    'span[kind="server"] span[tracetest.span.type="database"] span[name="POST /pokemon"]:last',
    'span[tracetest.span.type="http"], span[tracetest.span.type="database"], span[kind="client"]',
  ];
  const baseline = fastest(() => {
    let n = 0;
    for (const span of trace.spans) if (spanValue(span, 'tracetest.span.type') === 'http') n++;
    return n;
  });
  for (const selector of selectors) {
    const took = fastest(() => count(selector));
    // A selector reads a few attributes per span; anything quadratic would be thousands of times the baseline.
    assert.ok(took < 10 * baseline + 20, `${selector}: ${took.toFixed(1)} ms, reading one attribute of every span: ${baseline.toFixed(1)} ms`);
  }
});

/** Best of three runs, in milliseconds: the least disturbed by garbage collection and the JIT warming up. */
function fastest(run: () => number): number {
  let best = Infinity;
  for (let k = 0; k < 3; k++) {
    const start = performance.now();
    run();
    best = Math.min(best, performance.now() - start);
  }
  return best;
}
