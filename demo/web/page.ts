// The Pokéshop web page, served by the API: the HTML at `/`, and its script (browser/app.ts with the OpenTelemetry
// web SDK, bundled by esbuild when the API starts) at `/web/app.js`. The page exports its spans over OTLP/HTTP to
// the endpoint it is served with.
import { build } from 'esbuild';
import { join } from 'node:path';

export const APP_SCRIPT_PATH = '/web/app.js';

/** The script as one browser bundle (an IIFE: the page has no module loader to wait for). */
export async function bundleWebApp(): Promise<string> {
  const result = await build({
    entryPoints: [join(__dirname, 'browser', 'app.ts')],
    bundle: true,
    write: false,
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
    minify: true,
    logLevel: 'silent',
  });
  return result.outputFiles[0]!.text;
}

const escapeAttribute = (text: string) => text.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

export function pageHtml(otlpEndpoint: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Pokéshop</title>
<style>
  body { font-family: system-ui, sans-serif; max-width: 40rem; margin: 2rem auto; padding: 0 1rem; color: #222; }
  h1 { margin-bottom: 0.25rem; }
  form { display: flex; gap: 0.5rem; align-items: end; margin: 1.5rem 0 0.5rem; }
  label { display: flex; flex-direction: column; font-size: 0.9rem; }
  input, button { font: inherit; padding: 0.3rem 0.5rem; }
  #status { min-height: 1.5em; }
</style>
<script src="${APP_SCRIPT_PATH}" data-otlp-endpoint="${escapeAttribute(otlpEndpoint)}" defer></script>
</head>
<body>
<h1>Pokéshop</h1>
<p>Import a Pokémon by its Pokédex number; the worker fetches and stores it.</p>
<form id="import-form">
  <label>Pokédex number <input name="id" type="number" min="1" max="1025" value="143" required></label>
  <button type="submit">Import</button>
</form>
<p id="status" role="status"></p>
<h2>Pokémon</h2>
<ul id="pokemon-list"></ul>
</body>
</html>
`;
}
