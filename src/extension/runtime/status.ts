// What the status bar item says about where traces come from. Pure: the item itself is in receiver-ui.ts.
import type { ReceiverState } from './embedded-receiver';

export interface StatusView {
  text: string;
  tooltip: string;
  /** Draw the item with the error background. */
  error: boolean;
}

/** Where runs get traces when `tracelens.dataStore` names something other than the embedded receiver. */
export interface DataStoreStatus {
  /** The setting's value, e.g. `jaeger=http://127.0.0.1:16686` or `config/datastore.yaml`. */
  setting: string;
}

const CLICK = 'Click for receiver actions.';

export function statusView(state: ReceiverState, received: { traces: number; spans: number }, dataStore?: DataStoreStatus, trusted = true): StatusView {
  if (!trusted && state.kind === 'off') {
    return {
      text: '$(workspace-untrusted) Tracelens: restricted',
      tooltip:
        'Restricted Mode: test files are checked and completed, but runs, the embedded OTLP receiver and stored secrets wait until the workspace is trusted.',
      error: false,
    };
  }
  switch (state.kind) {
    case 'on': {
      const r = state.receiver;
      const ports = [`:${r.httpPort}`, ...(r.grpcPort !== null ? [`:${r.grpcPort}`] : [])].join(' ');
      const endpoints = [`${endpointUrl(r.host, r.httpPort)} (OTLP/HTTP)`, ...(r.grpcPort !== null ? [`${hostPort(r.host, r.grpcPort)} (OTLP/gRPC)`] : [])];
      return {
        text: `$(radio-tower) OTLP ${ports}`,
        tooltip: [
          `Embedded OTLP receiver listening on ${endpoints.join(' and ')}.`,
          `${plural(received.traces, 'trace')}, ${plural(received.spans, 'span')} received.`,
          CLICK,
        ].join('\n'),
        error: false,
      };
    }
    case 'starting':
      return {
        text: '$(loading~spin) OTLP starting…',
        tooltip: `Starting the embedded OTLP receiver on ${hostPort(state.settings.host, state.settings.httpPort)}…`,
        error: false,
      };
    case 'failed':
      return { text: '$(error) OTLP failed', tooltip: `The embedded OTLP receiver could not start: ${state.error.message}.\n${CLICK}`, error: true };
    case 'off':
      if (dataStore) {
        return {
          text: `$(database) ${dataStoreLabel(dataStore.setting)}`,
          tooltip: `Runs read traces from ${dataStore.setting} (setting tracelens.dataStore).\n${CLICK}`,
          error: false,
        };
      }
      return { text: '$(circle-slash) OTLP off', tooltip: `Embedded OTLP receiver: off. It starts when a test runs.\n${CLICK}`, error: false };
  }
}

/** The OTLP/HTTP endpoint a system under test exports to. A wildcard bind address is reached via loopback. */
export function endpointUrl(host: string, port: number): string {
  return `http://${hostPort(host, port)}`;
}

function hostPort(host: string, port: number): string {
  const reachable = host === '0.0.0.0' ? '127.0.0.1' : host === '::' ? '::1' : host;
  return `${reachable.includes(':') ? `[${reachable}]` : reachable}:${port}`;
}

function dataStoreLabel(setting: string): string {
  const inline = /^(jaeger|tempo|file)=/.exec(setting);
  if (inline) return inline[1]!;
  const name = setting.split(/[\\/]/).pop() ?? setting;
  return name.length > 24 ? `${name.slice(0, 23)}…` : name;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
