import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { TriggerDef } from '../../../src/core/testfile';
import { newTraceContext, runTrigger } from '../../../src/run/triggers/run-trigger';
import { failure, requestFor, response, triggerFrom } from './support';

const ID = '4bf92f3577b34da6a3ce929d0e0e4736';

describe('traceid trigger', () => {
  test('takes the id from the file, rendered, and sends nothing', async () => {
    const trigger = triggerFrom('    type: traceid\n    traceid:\n      id: ${var:TRACE}\n');
    const r = response(await runTrigger(requestFor(trigger, { vars: { TRACE: `  ${ID.toUpperCase()} ` } })));
    assert.equal(r.traceId, ID);
    assert.equal(r.sent, false);
    assert.equal(r.startTime, r.endTime);
    assert.equal(r.status, undefined);
  });

  test('a 16-digit Jaeger id gets leading zeros', async () => {
    const trigger = triggerFrom('    type: traceid\n    traceid:\n      id: a3ce929d0e0e4736\n');
    assert.equal(response(await runTrigger(requestFor(trigger))).traceId, '0000000000000000a3ce929d0e0e4736');
  });

  test('anything else is a failure naming the value', async () => {
    for (const [id, message] of [
      ['xyz', 'trigger.traceid.id: `xyz` is not a trace id (expected 32 hex digits, or 16 for a Jaeger id)'],
      [
        '"00000000000000000000000000000000"',
        'trigger.traceid.id: `00000000000000000000000000000000` is not a trace id (expected 32 hex digits, or 16 for a Jaeger id)',
      ],
      ['"${UNSET_ENV}"', 'trigger.traceid.id: the trace id is empty'],
      ['${var:TRACE_ID}', 'missing variable TRACE_ID in trigger.traceid.id'],
    ]) {
      const error = failure(await runTrigger(requestFor(triggerFrom(`    type: traceid\n    traceid:\n      id: ${id}\n`))));
      assert.equal(error.message, message);
      assert.equal(error.sent, false);
    }
  });

  test('cypress, playwright, k6 and artillery read the variable TRACE_ID', async () => {
    for (const type of ['cypress', 'playwright', 'k6', 'artillery'] as const) {
      const trigger: TriggerDef = { type };
      assert.equal(response(await runTrigger(requestFor(trigger, { vars: { TRACE_ID: ID } }))).traceId, ID);
      const article = type === 'artillery' ? 'an' : 'a';
      assert.equal(failure(await runTrigger(requestFor(trigger))).message, `${article} ${type} trigger needs the trace id: set variable TRACE_ID`);
    }
    const bad = failure(await runTrigger(requestFor({ type: 'k6' }, { vars: { TRACE_ID: 'nope' } })));
    assert.equal(bad.message, 'variable TRACE_ID: `nope` is not a trace id (expected 32 hex digits, or 16 for a Jaeger id)');
  });

  test('a trace-id based trigger loaded from a file', async () => {
    const trigger = triggerFrom('    type: k6\n');
    assert.equal(response(await runTrigger(requestFor(trigger, { vars: { TRACE_ID: ID } }))).traceId, ID);
  });
});

describe('kafka trigger', () => {
  const kafka = (fields: string): TriggerDef => triggerFrom(`    type: kafka\n    kafka:\n${fields}`);

  test('a valid trigger is reported as not supported, without a crash or a send', async () => {
    const trigger = kafka(
      '      brokerUrls:\n        - stream:9092\n      topic: pokemon\n      messageKey: snorlax-key\n      messageValue: \'{"id":143}\'\n',
    );
    const error = failure(await runTrigger(requestFor(trigger)));
    assert.equal(error.message, 'kafka triggers are not supported yet: they need a Kafka client, which Tracelens does not include');
    assert.equal(error.sent, false);
  });

  test('it is still checked: variables, brokers, topic', async () => {
    const cases: [string, string][] = [
      ['      brokerUrls:\n        - stream:9092\n      topic: ${var:TOPIC}\n', 'missing variable TOPIC in trigger.kafka.topic'],
      ['      brokerUrls:\n        - stream:9092\n      topic: t\n      messageValue: ${env:VALUE}\n', 'missing variable VALUE in trigger.kafka.messageValue'],
      ['      brokerUrls:\n        - stream\n      topic: t\n', 'trigger.kafka.brokerUrls[0]: `stream` is not a broker address (host:port)'],
    ];
    for (const [fields, message] of cases) assert.equal(failure(await runTrigger(requestFor(kafka(fields)))).message, message);
    // The schema asks for a broker too; a trigger built another way still gets a message.
    const noBrokers = { ...kafka('      brokerUrls:\n        - stream:9092\n      topic: t\n'), brokerUrls: [] } as TriggerDef;
    assert.equal(failure(await runTrigger(requestFor(noBrokers))).message, 'trigger.kafka.brokerUrls: at least one broker (host:port) is needed');
  });
});

describe('trace context', () => {
  test('new contexts are random, well formed and non-zero', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 50; i++) {
      const c = newTraceContext();
      assert.match(c.traceId, /^[0-9a-f]{32}$/);
      assert.match(c.spanId, /^[0-9a-f]{16}$/);
      assert.notEqual(c.traceId, '0'.repeat(32));
      seen.add(c.traceId);
    }
    assert.equal(seen.size, 50);
  });
});
