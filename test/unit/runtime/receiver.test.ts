// The embedded receiver in the editor: started by the first run that needs it, shared, shown in the status bar,
// stopped and started by commands, restarted when its settings change, and a taken port explained.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:net';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { createRuntime, type Runtime } from '../../../src/extension/runtime/runtime';
import type { OtlpReceiver } from '../../../src/run/sources/otlp/receiver';
import type { CollectRequest } from '../../../src/run/sources/types';
import { startTracedService } from '../../support/traced-service';
import { FakeVscode, waitForStatus } from '../../support/vscode-fake/runtime';

let fake: FakeVscode;
let runtime: Runtime;

beforeEach(() => {
  fake = new FakeVscode(undefined);
  fake.settings.set('tracelens.otlp.httpPort', 0);
  fake.settings.set('tracelens.otlp.grpcPort', 0);
  fake.settings.set('tracelens.quietWindow', '50ms');
  runtime = createRuntime(fake.api, { secrets: fake.secrets });
});

afterEach(() => runtime.dispose());

function running(): OtlpReceiver {
  const state = runtime.receiver.state;
  assert.equal(state.kind, 'on', `receiver is ${state.kind}`);
  return (state as Extract<typeof state, { kind: 'on' }>).receiver;
}

function request(traceId: string, triggerSpanId: string, signal?: AbortSignal): CollectRequest {
  return {
    traceId,
    triggerSpanId,
    unmatchedSelectors: () => [],
    timeoutMs: 20_000,
    quietMs: 50,
    retryDelayMs: 100,
    selectorMatchRetries: 0,
    exportDelayMs: 0,
    ...(signal ? { signal } : {}),
  };
}

function listen(port = 0): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve(server));
  });
}

function close(server: Server): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}

async function freePort(): Promise<number> {
  const server = await listen();
  const port = (server.address() as { port: number }).port;
  await close(server);
  return port;
}

describe('the embedded receiver on demand', () => {
  it('starts when a run first asks for a source, shows its ports, and delivers what the OTel SDK exports', async () => {
    const item = fake.statusBarItem();
    assert.equal(item.visible, true);
    assert.equal(item.command, 'tracelens.receiverActions');
    assert.equal(item.text, '$(circle-slash) OTLP off');
    assert.ok(Number.isFinite(runtime.activationMs) && runtime.activationMs >= 0);
    assert.match(fake.channel().text(), /Tracelens runtime ready in \d+\.\d ms/);
    assert.equal(fake.channel().name, 'Tracelens');

    const source = await runtime.acquireSource();
    const receiver = running();
    assert.ok(receiver.httpPort > 0 && receiver.grpcPort! > 0);
    assert.equal(item.text, `$(radio-tower) OTLP :${receiver.httpPort} :${receiver.grpcPort}`);
    assert.match(source.description, new RegExp(`http://127\\.0\\.0\\.1:${receiver.httpPort}`));
    assert.match(fake.channel().text(), /OTLP receiver listening: the embedded OTLP receiver/);

    await runtime.acquireSource();
    assert.equal(running(), receiver, 'one receiver per window, shared by every run');

    const service = await startTracedService(`http://127.0.0.1:${receiver.httpPort}`, 'shop');
    try {
      const traceId = randomBytes(16).toString('hex');
      const triggerSpanId = randomBytes(8).toString('hex');
      const collecting = source.collect(request(traceId, triggerSpanId));
      const response = await fetch(`${service.url}/hello`, { headers: { traceparent: `00-${traceId}-${triggerSpanId}-01` } });
      assert.equal(response.status, 200);
      const outcome = await collecting;
      assert.ok(outcome.ok, outcome.ok ? '' : outcome.message);
      assert.deepEqual(outcome.spans.map((s) => s.name).sort(), ['GET /hello', 'load greeting']);

      assert.match(await fake.channel().waitForLine(new RegExp(`^trace ${traceId}:`)), /: 2 spans from shop$/);
      assert.match(item.tooltip ?? '', /1 trace, 2 spans received/);
      assert.match(
        item.tooltip ?? '',
        new RegExp(`listening on http://127\\.0\\.0\\.1:${receiver.httpPort} \\(OTLP/HTTP\\) and 127\\.0\\.0\\.1:${receiver.grpcPort} \\(OTLP/gRPC\\)`),
      );
    } finally {
      await service.close();
    }
  });

  it('rejects a run when the port is taken, with the reason and a notification that leads to the setting', async () => {
    const blocker = await listen();
    const port = (blocker.address() as { port: number }).port;
    try {
      fake.settings.set('tracelens.otlp.httpPort', port);
      fake.notificationAnswers = ['Use another port'];
      await assert.rejects(runtime.acquireSource(), (e: Error) => {
        assert.match(e.message, new RegExp(`port ${port} \\(OTLP/HTTP\\) on 127\\.0\\.0\\.1 is in use`));
        return true;
      });
      const [notification] = fake.notifications;
      assert.equal(notification?.severity, 'error');
      assert.match(notification!.message, /the OTLP receiver could not start: .*is in use/);
      assert.deepEqual(notification!.items, ['Use another port', 'Show output']);
      assert.deepEqual(await fake.waitForExecuted('workbench.action.openSettings'), ['tracelens.otlp.httpPort']);
      assert.equal(fake.statusBarItem().text, '$(error) OTLP failed');
      assert.match(fake.statusBarItem().tooltip ?? '', /is in use/);
      assert.ok(fake.channel().lines.some((l) => l.level === 'warn' && /could not start: .*is in use/.test(l.text)));

      // "Show output" on the next failure reveals the channel.
      fake.notificationAnswers = ['Show output'];
      await assert.rejects(runtime.acquireSource());
      await fake.channel().waitForLine(/could not start/);
      await new Promise<void>((resolve) => setImmediate(resolve));
      assert.equal(fake.channel().shown, 1);
    } finally {
      await close(blocker);
    }
  });

  it('is started and stopped by commands and the status bar actions; the endpoint can be copied', async () => {
    const item = fake.statusBarItem();
    await fake.execute('tracelens.startReceiver');
    const first = running();
    assert.equal(item.text, `$(radio-tower) OTLP :${first.httpPort} :${first.grpcPort}`);

    fake.quickPickAnswers = [(items) => items.find((i) => i.label.includes('Copy endpoint'))];
    await fake.execute('tracelens.receiverActions');
    assert.equal(fake.clipboard, `http://127.0.0.1:${first.httpPort}`);
    assert.deepEqual(
      fake.quickPicks[0]!.items.map((i) => i.label),
      ['$(debug-stop) Stop receiver', '$(copy) Copy endpoint', '$(output) Show output', '$(gear) Open settings'],
    );

    await fake.execute('tracelens.stopReceiver');
    assert.equal(item.text, '$(circle-slash) OTLP off');
    await assert.rejects(fetch(`http://127.0.0.1:${first.httpPort}/v1/traces`, { method: 'POST' }), 'the port is closed');
    assert.match(fake.channel().text(), /OTLP receiver stopped/);

    fake.quickPickAnswers = [(items) => items.find((i) => i.label.includes('Start receiver'))];
    await fake.execute('tracelens.receiverActions');
    assert.match(item.text, /^\$\(radio-tower\) OTLP :\d+ :\d+$/);

    fake.quickPickAnswers = [(items) => items.find((i) => i.label.includes('Show output'))];
    await fake.execute('tracelens.receiverActions');
    assert.equal(fake.channel().shown, 1);
  });

  it('ends a run waiting for its trace when the receiver is stopped, saying so', async () => {
    const source = await runtime.acquireSource();
    const waiting = source.collect(request(randomBytes(16).toString('hex'), randomBytes(8).toString('hex')));
    await fake.execute('tracelens.stopReceiver');
    const outcome = await waiting;
    assert.equal(outcome.ok, false);
    assert.equal(outcome.ok ? '' : outcome.message, 'the embedded OTLP receiver was stopped while this run waited for its trace');
  });

  it('restarts on a port setting change, after the runs waiting on it have finished', async () => {
    const item = fake.statusBarItem();
    const source = await runtime.acquireSource();
    const before = running();
    const cancel = new AbortController();
    const waiting = source.collect(request(randomBytes(16).toString('hex'), randomBytes(8).toString('hex'), cancel.signal));

    const httpPort = await freePort();
    fake.setSetting('tracelens.otlp.httpPort', httpPort);
    await fake.channel().waitForLine(/settings changed: restarting once the 1 run\(s\) waiting for a trace finish/);
    assert.equal(running(), before, 'not restarted under a waiting run');

    cancel.abort();
    await waiting;
    await waitForStatus(item, (text) => text.includes(`:${httpPort} `));
    assert.equal(running().httpPort, httpPort);

    // Idle: a change applies at once.
    const grpcPort = await freePort();
    fake.setSetting('tracelens.otlp.grpcPort', grpcPort);
    await waitForStatus(item, (text) => text === `$(radio-tower) OTLP :${httpPort} :${grpcPort}`);
    assert.equal(running().grpcPort, grpcPort);
  });

  it('applies its memory budget, spans per trace and CORS origins from the settings, restarting when they change', async () => {
    fake.settings.set('tracelens.otlp.maxBytes', '64MiB');
    fake.settings.set('tracelens.otlp.maxSpansPerTrace', 1_000_000);
    await runtime.acquireSource();
    const first = running();
    assert.equal(first.store.limits.maxBytes, 64 * 2 ** 20);
    assert.equal(first.store.limits.maxSpansPerTrace, 1_000_000);
    const preflight = async (origin: string) =>
      (await fetch(`http://127.0.0.1:${running().httpPort}/v1/traces`, { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'POST' } }))
        .status;
    assert.equal(await preflight('https://app.example.test'), 403);

    fake.setSetting('tracelens.otlp.corsOrigins', ['https://app.example.test']);
    await fake.channel().waitForLine(/OTLP receiver stopped/);
    await waitForStatus(fake.statusBarItem(), (text) => text.startsWith('$(radio-tower)'));
    assert.notEqual(running(), first);
    assert.equal(await preflight('https://app.example.test'), 204);
    assert.equal(await preflight('https://other.example.test'), 403);
  });

  it('does not start the receiver because a setting changed', async () => {
    fake.setSetting('tracelens.otlp.httpPort', await freePort());
    await new Promise<void>((resolve) => setImmediate(resolve));
    assert.equal(runtime.receiver.state.kind, 'off');
    assert.equal(fake.statusBarItem().text, '$(circle-slash) OTLP off');
  });
});
