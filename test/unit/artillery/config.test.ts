import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parsePluginConfig } from '../../../src/artillery/config';
import { arrivalsEndSeconds } from '../../../src/artillery/phases';
import { specMetricNames } from '../../../src/artillery/worker';
import { loadFile } from '../../../src/core/testfile/index';
import type { TestDef } from '../../../src/core/testfile/model';

describe('the plugin settings (config.plugins.tracelens)', () => {
  test('defaults: a tenth sampled, the ids file next to the script, paths taken from the script folder', () => {
    assert.deepEqual(parsePluginConfig({ test: 'tests/import.yaml' }, '/load'), {
      test: '/load/tests/import.yaml',
      sample: 0.1,
      traceIdsFile: '/load/tracelens-trace-ids.txt',
      vars: [],
      maxChecks: 50,
    });
  });

  test('a data store inline or as a DataStore file, durations, VariableSets', () => {
    const config = parsePluginConfig(
      {
        test: '/t.yaml',
        sample: 1,
        dataStore: 'jaeger=http://jaeger:16686',
        vars: 'vars.yaml',
        timeout: '1m',
        exportDelay: '0',
        drainTimeout: '90s',
        maxChecks: 5,
      },
      '/load',
    );
    assert.deepEqual(config.dataStore, { inline: { type: 'jaeger', url: 'http://jaeger:16686', headers: {} } });
    assert.deepEqual(
      [config.vars, config.timeoutMs, config.exportDelayMs, config.drainTimeoutMs, config.maxChecks],
      [['/load/vars.yaml'], 60_000, 0, 90_000, 5],
    );
    assert.deepEqual(parsePluginConfig({ test: '/t.yaml', dataStore: 'stores/tempo.yaml' }, '/load').dataStore, { file: '/load/stores/tempo.yaml' });
  });

  for (const [label, settings, message] of [
    ['no test', {}, /config\.plugins\.tracelens\.test: missing/],
    ['not a map', 'x', /config\.plugins\.tracelens: expected a map/],
    ['a sample above 1', { test: 't', sample: 2 }, /\.sample: expected a share from 0 to 1.*got 2/],
    ['an unknown setting', { test: 't', rate: 2 }, /\.rate: unknown setting/],
    ['a bad duration', { test: 't', timeout: 'soon' }, /\.timeout: expected a duration.*"soon"/],
    ['the embedded receiver as data store', { test: 't', dataStore: 'otlp' }, /\.dataStore: otlp: the plugin reads the sampled traces from Jaeger or Tempo/],
    ['a data store without URL', { test: 't', dataStore: 'tempo=' }, /\.dataStore: "tempo=": give the query API's URL/],
    ['an ids file with a data store', { test: 't', dataStore: 'tempo=http://t:3200', traceIdsFile: 'ids.txt' }, /\.traceIdsFile: with a dataStore/],
  ] as const) {
    test(`rejected: ${label}`, () => assert.throws(() => parsePluginConfig(settings, '/load'), { message }));
  }
});

describe('when the arrivals end', () => {
  test('phase durations in seconds or as text; a trailing pause brings no one', () => {
    assert.equal(arrivalsEndSeconds([{ duration: 60, arrivalRate: 5 }, { duration: '2m', rampTo: 20 }, { pause: '30s' }]), 180);
    assert.equal(arrivalsEndSeconds([{ duration: '10', arrivalCount: 5 }, { pause: 5 }, { duration: '500ms', arrivalRate: 1 }]), 15.5);
  });

  test('unknown when a duration cannot be read (templated) or there are no phases', () => {
    assert.equal(arrivalsEndSeconds([{ duration: '{{ $env.DURATION }}', arrivalRate: 5 }]), undefined);
    assert.equal(arrivalsEndSeconds(undefined), undefined);
  });
});

test('spec metric names: the name, else the selector, in lower case with underscores, unique', () => {
  const text = `type: Test
spec:
  name: t
  trigger: { type: traceid, traceid: { id: x } }
  specs:
  - name: Order processed once!
    selector: span[name="a"]
    assertions: [attr:x = 1]
  - selector: span[name="POST /orders"]
    assertions: [attr:x = 1]
  - name: order processed once
    selector: span[name="b"]
    assertions: [attr:x = 1]
`;
  const test = loadFile(text, 't.yaml').resources[0]!.resource as TestDef;
  assert.deepEqual(specMetricNames(test), [
    'tracelens.spec.order_processed_once',
    'tracelens.spec.span_name_post_orders',
    'tracelens.spec.order_processed_once_2',
  ]);
});
