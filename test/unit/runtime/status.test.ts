// What the status bar says in each receiver state, which secret values in a file are placeholders, and which
// workspace folder a secret is kept for.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isPlaceholder } from '../../../src/run/variables';
import { folderOf } from '../../../src/extension/runtime/secrets';
import { endpointUrl, statusView } from '../../../src/extension/runtime/status';
import { ReceiverStartError, type OtlpReceiver } from '../../../src/run/sources/otlp/receiver';
import { TraceStore } from '../../../src/run/sources/otlp/store';

function receiver(host: string, httpPort: number, grpcPort: number | null): OtlpReceiver {
  return { store: new TraceStore(), host, httpPort, grpcPort, description: '', close: async () => {} };
}

describe('status bar text', () => {
  it('names the ports while listening, and the endpoints and counts in the tooltip', () => {
    const view = statusView({ kind: 'on', receiver: receiver('0.0.0.0', 4318, 4317) }, { traces: 1, spans: 12 });
    assert.equal(view.text, '$(radio-tower) OTLP :4318 :4317');
    assert.match(view.tooltip, /listening on http:\/\/127\.0\.0\.1:4318 \(OTLP\/HTTP\) and 127\.0\.0\.1:4317 \(OTLP\/gRPC\)/);
    assert.match(view.tooltip, /1 trace, 12 spans received/);
    assert.equal(view.error, false);
    assert.equal(statusView({ kind: 'on', receiver: receiver('::1', 4318, null) }, { traces: 0, spans: 0 }).text, '$(radio-tower) OTLP :4318');
  });

  it('says when it is off, starting, failed, or when traces come from a data store', () => {
    assert.equal(statusView({ kind: 'off' }, { traces: 0, spans: 0 }).text, '$(circle-slash) OTLP off');
    assert.equal(
      statusView(
        {
          kind: 'starting',
          settings: { host: '127.0.0.1', httpPort: 4318, grpcPort: 4317, maxBytes: 256 * 2 ** 20, maxSpansPerTrace: 100_000, corsOrigins: [] },
        },
        { traces: 0, spans: 0 },
      ).text,
      '$(loading~spin) OTLP starting…',
    );
    const error = new ReceiverStartError('port 4318 (OTLP/HTTP) on 127.0.0.1 is in use', 'http', '127.0.0.1', 4318, 'EADDRINUSE');
    const failed = statusView(
      {
        kind: 'failed',
        error,
        settings: { host: '127.0.0.1', httpPort: 4318, grpcPort: 4317, maxBytes: 256 * 2 ** 20, maxSpansPerTrace: 100_000, corsOrigins: [] },
      },
      { traces: 0, spans: 0 },
    );
    assert.equal(failed.text, '$(error) OTLP failed');
    assert.match(failed.tooltip, /is in use/);
    assert.equal(failed.error, true);
    assert.equal(statusView({ kind: 'off' }, { traces: 0, spans: 0 }, { setting: 'jaeger=http://jaeger:16686' }).text, '$(database) jaeger');
  });

  it('says Restricted Mode keeps the receiver off', () => {
    const view = statusView({ kind: 'off' }, { traces: 0, spans: 0 }, undefined, false);
    assert.equal(view.text, '$(workspace-untrusted) Tracelens: restricted');
    assert.match(view.tooltip, /runs, the embedded OTLP receiver and stored secrets wait until the workspace is trusted/);
  });

  it("gives an endpoint other machines' SDKs and local ones can use", () => {
    assert.equal(endpointUrl('127.0.0.1', 4318), 'http://127.0.0.1:4318');
    assert.equal(endpointUrl('::1', 4318), 'http://[::1]:4318');
  });
});

describe('secret placeholders', () => {
  it('treats empty and placeholder values as "stored elsewhere", real values as values', () => {
    for (const v of ['', '  ', '***', '••••', 'xxxx', '<api key>', 'REDACTED', 'changeme']) assert.equal(isPlaceholder(v), true, v);
    for (const v of ['s3cr3t', 'x', 'Bearer abc', '<a><b>', 'secret-value']) assert.equal(isPlaceholder(v), false, v);
  });
});

describe('the workspace folder of a secret', () => {
  it('is the innermost folder holding the VariableSet file, by whole path segments; none outside every folder', () => {
    const folder = (path: string) => ({ uri: { fsPath: path, toString: () => `file://${path}` }, name: path.split('/').pop()! });
    const folders = [folder('/home/dev/repo'), folder('/home/dev/repo/services/api'), folder('/home/dev/repo-fork')];
    assert.equal(folderOf(folders, '/home/dev/repo/vars.yaml')?.name, 'repo');
    assert.equal(folderOf(folders, '/home/dev/repo/services/api/env/staging.yaml')?.name, 'api');
    assert.equal(folderOf(folders, '/home/dev/repo-fork/vars.yaml')?.name, 'repo-fork', 'not the folder whose path is a prefix of its name');
    assert.equal(folderOf(folders, '/elsewhere/vars.yaml'), undefined);
    assert.equal(folderOf(undefined, '/home/dev/repo/vars.yaml'), undefined);
  });
});
