// The Pokéshop web page (service "pokeshop-web"): lists the Pokémon and imports one by its Pokédex number through
// the API. Instrumented as a web app instrumented with the stock OpenTelemetry web SDK is: document-load and fetch
// instrumentations, spans exported over OTLP/HTTP (JSON) to the endpoint the page is served with.
//
// What a page does with `<meta name="traceparent">` is its own choice: the document-load instrumentation parents
// the page-load spans on it, and this page also runs what the person does on it (list, import) in that context, so
// the whole visit is one trace. Opened by a person, without the tag, each action starts a trace of its own.
import { propagation, ROOT_CONTEXT, trace, type Context } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { DocumentLoadInstrumentation } from '@opentelemetry/instrumentation-document-load';
import { FetchInstrumentation } from '@opentelemetry/instrumentation-fetch';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, WebTracerProvider } from '@opentelemetry/sdk-trace-web';

const SERVICE_NAME = 'pokeshop-web';
/** Short, so spans reach the receiver while the page is still open; the SDK also flushes when the page is hidden. */
const EXPORT_DELAY_MS = 200;

interface Pokemon {
  id: number;
  name: string;
  type: string;
}

function startTelemetry(endpoint: string): void {
  const exporter = new OTLPTraceExporter({ url: `${endpoint.replace(/\/+$/, '')}/v1/traces` });
  const provider = new WebTracerProvider({
    resource: resourceFromAttributes({ 'service.name': SERVICE_NAME }),
    spanProcessors: [new BatchSpanProcessor(exporter, { scheduledDelayMillis: EXPORT_DELAY_MS })],
  });
  provider.register();
  registerInstrumentations({
    instrumentations: [new DocumentLoadInstrumentation(), new FetchInstrumentation({ ignoreUrls: [/\/v1\/traces$/] })],
  });
}

/** The visit's context: the trace the page was loaded in, when the server (or a test) put it in the page. */
function visitContext(): Context {
  const meta = (name: string) => document.querySelector<HTMLMetaElement>(`meta[name="${name}"]`)?.content;
  const carrier: Record<string, string> = {};
  for (const name of ['traceparent', 'tracestate']) {
    const value = meta(name);
    if (value) carrier[name] = value;
  }
  return propagation.extract(ROOT_CONTEXT, carrier);
}

/** Runs `work` as a span of the visit; requests it makes are that span's children. */
function action<T>(name: string, work: () => Promise<T>): Promise<T> {
  return trace.getTracer(SERVICE_NAME).startActiveSpan(name, {}, visitContext(), async (span) => {
    try {
      return await work();
    } catch (error) {
      span.recordException(error as Error);
      span.setStatus({ code: 2, message: (error as Error).message });
      throw error;
    } finally {
      span.end();
    }
  });
}

async function json<T>(response: Response): Promise<T> {
  const body = (await response.json()) as T & { errors?: string[]; error?: string };
  if (!response.ok) throw new Error(body.errors?.join('; ') ?? body.error ?? `HTTP ${response.status}`);
  return body;
}

async function showList(): Promise<void> {
  const page = await action('list pokemon', async () => json<{ items: Pokemon[] }>(await fetch('/pokemon?take=20')));
  const list = document.getElementById('pokemon-list')!;
  list.replaceChildren(
    ...page.items.map((p) => {
      const item = document.createElement('li');
      item.textContent = `#${p.id} ${p.name} (${p.type})`;
      return item;
    }),
  );
}

function wireImportForm(): void {
  const form = document.getElementById('import-form') as HTMLFormElement;
  const status = document.getElementById('status')!;
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const id = Number(new FormData(form).get('id'));
    status.textContent = `Importing #${id}…`;
    // fetch() is called inside the span's callback, synchronously: the fetch instrumentation sees it as the parent.
    void action('import pokemon from the page', async () => {
      const accepted = await json<{ id: number }>(
        await fetch('/pokemon/import', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ id }) }),
      );
      status.textContent = `#${accepted.id} is on its way: the worker is importing it.`;
      console.log(`import of pokemon ${accepted.id} accepted`);
    }).catch((error: Error) => {
      status.textContent = `The import failed: ${error.message}`;
      console.error(`import of pokemon ${id} failed: ${error.message}`);
    });
  });
}

function main(): void {
  const endpoint = (document.currentScript as HTMLScriptElement | null)?.dataset['otlpEndpoint'];
  if (endpoint) startTelemetry(endpoint);
  wireImportForm();
  // The list waits for the page's own load, so it does not race the document-load spans.
  const list = () => showList().catch((error: Error) => console.error(`could not list the Pokémon: ${error.message}`));
  if (document.readyState === 'complete') void list();
  else addEventListener('load', () => void list(), { once: true });
}

main();
