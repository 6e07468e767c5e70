// The load benchmark's target in a process of its own, so the service's CPU is not the load generator's:
// `node --import tsx bench/load-service.ts <OTLP/HTTP base URL> [batch]` starts the traced test service, prints its
// URL on one line, and closes when its parent goes away (stdin ends) or on SIGTERM. It exports each span at once
// (so a trace's arrival times its request), or with `batch` in batches, as a production service does.
import { startTracedService } from '../test/support/traced-service';

async function main(): Promise<void> {
  const otlpUrl = process.argv[2];
  if (!otlpUrl) throw new Error('usage: load-service.ts <OTLP/HTTP base URL> [batch]');
  const service = await startTracedService(otlpUrl, 'shop', { batch: process.argv[3] === 'batch' });
  const stop = (): void => {
    void service.close().finally(() => process.exit(0));
  };
  process.once('SIGTERM', stop);
  process.stdin.once('end', stop).resume();
  process.stdout.write(`${service.url}\n`);
}

void main();
