// Large traces: a 100k-deep chain must not overflow the stack, and matching stays linear in the trace size.
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { select } from '../../../src/core/selector';
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
