// The `tracelens` command: the same engine as the extension, for terminals and CI (spec/cli.md).
import { statSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import { parseArgs } from 'node:util';
import type { TestRunResult } from './core/engine/result';
import type { Redactor } from './core/redact/redactor';
import { redactResult } from './core/redact/results';
import { isResourceFile } from './core/testfile/index';
import { validateFile } from './core/testfile/validate';
import type { LoadedFile, Problem } from './core/testfile/model';
import { displayPath, FileError, pickInputs, scanInputs } from './run/files';
import { jsonReport } from './run/reporters/json';
import { junitReport } from './run/reporters/junit';
import { formatSummary, formatTest } from './run/reporters/pretty';
import { styleFor } from './run/reporters/style';
import { Runner } from './run/runner';
import { openLiveSource } from './run/live-source';
import { lateSpansText, LiveProgress } from './run/reporters/progress';
import { gateSettingsIn, pollingProfilesIn, readDataStore, variableSetFilesIn } from './run/resources';
import { saveTraceFile, slug } from './run/save-trace';
import { corsPolicy } from './run/sources/otlp/cors';
import { parseByteSize } from './run/sources/otlp/limits';
import { ReceiverStartError } from './run/sources/otlp/receiver';
import { MIN_STORE_BYTES } from './run/sources/otlp/store';
import { readTraceFile } from './run/trace-file';
import type { FileReferences } from './run/triggers/files';
import { loadVariables, redactorFor } from './run/variables';
import { parseGoDuration } from './core/testfile/durations';
import { runReceiver } from './run/receiver-command';

declare const TRACELENS_VERSION: string;

export const EXIT = { passed: 0, failed: 1, usage: 2 } as const;

const USAGE = `Usage:
  tracelens run <file|dir>... [options]         send each test's trigger, collect its trace, assert on it
  tracelens validate <file|dir>...              schema + selector + expression check, no run
  tracelens receiver [options]                  run the OTLP receiver alone and print (or save) the traces it gets
  tracelens --help | --version

run options:
  --vars <file>             a VariableSet file (repeatable; later wins)
  --var KEY=VALUE           one variable (repeatable; wins over files)
  --secret KEY[=VALUE]      a secret variable, masked in everything the run writes (repeatable; wins over
                            --var); KEY alone takes the value of the environment variable KEY
  --trace <file>            send nothing: assert against this saved trace (OTLP JSON/protobuf, Jaeger JSON, Tempo JSON)
  --data-store <file|spec>  read traces from this DataStore file, or jaeger=<url>, tempo=<url>, file=<path>;
                            default: the embedded OTLP receiver
  --otlp-http-port <n>      embedded receiver's OTLP/HTTP port (default 4318; 0 = any free port)
  --otlp-grpc-port <n>      embedded receiver's OTLP/gRPC port (default 4317; 0 = any free port)
  --otlp-max-bytes <size>   memory the embedded receiver keeps spans in, e.g. 512MiB (default 256MiB)
  --otlp-cors-origin <url>  a web origin besides localhost allowed to send traces to it (repeatable; * = any)
  --root <dir>              the project root that body, proto and query files must be inside
                            (default: the folder holding every file and directory given)
  --allow-outside-root      let tests read files outside the project root
  --timeout <duration>      how long to wait for a trace, e.g. 30s, 1m (default 30s)
  --export-delay <duration> how long spans a run still expects are waited for once nothing arrives: a span for a
                            selector that matches nothing, a counted spec, a service of the last run, a missing
                            parent (default 5.5s, for the SDKs' 5 s batches; services the receiver has seen in
                            earlier runs are waited for as long as they took then)
  --workers <n>             tests and suites run at once (default 1; suite steps always run in order)
  --save-trace <dir>        save each run's trace as OTLP JSON (replayable with --trace), and the Playwright
                            trace (trace.zip) of each playwrightengine test
  --browser <path>          Chromium or Chrome for playwrightengine tests (default: PLAYWRIGHT_CHROMIUM_EXECUTABLE_PATH,
                            Playwright's Chromium, then chromium or google-chrome on PATH)
  --playwright-timeout <duration>
                            how long a playwrightengine script may run, e.g. 2m (default 60s)
  --reporter <name>         pretty | json | junit (default: pretty on a terminal, json otherwise)
  --out <file>              write the report to a file instead of stdout

receiver options:
  --http-port <n>, --grpc-port <n>   ports (defaults 4318 and 4317; 0 = any free port)
  --host <address>                   address to listen on (default 127.0.0.1)
  --out <dir>                        save each trace as <dir>/<trace id>.otlp.json once it settles
  --max-bytes <size>                 memory spans are kept in, e.g. 512MiB (default 256MiB)
  --cors-origin <url>                a web origin besides localhost allowed to send traces (repeatable; * = any)

Exit codes: 0 all passed, 1 a test failed or errored, 2 usage error, unreadable or invalid file,
or the receiver could not start (nothing was run).`;

export interface Io {
  stdout: { write(s: string): unknown; isTTY?: boolean };
  stderr: { write(s: string): unknown; isTTY?: boolean };
  env: NodeJS.ProcessEnv;
}

export async function main(argv: readonly string[], io: Io): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'run':
        return await run(rest, io);
      case 'validate':
        return await validate(rest, io);
      case 'receiver':
        return await receiver(rest, io);
      case '--version':
      case '-v':
        io.stdout.write(`${typeof TRACELENS_VERSION === 'string' ? TRACELENS_VERSION : 'dev'}\n`);
        return EXIT.passed;
      case undefined:
      case '--help':
      case '-h':
      case 'help':
        io.stdout.write(`${USAGE}\n`);
        return command === undefined ? EXIT.usage : EXIT.passed;
      default:
        return usageError(io, `unknown command "${command}"`);
    }
  } catch (e) {
    if (e instanceof FileError || isArgError(e)) return usageError(io, (e as Error).message);
    if (e instanceof ReceiverStartError) {
      io.stderr.write(`tracelens: ${e.message}\n`);
      return EXIT.usage;
    }
    throw e;
  }
}

function usageError(io: Io, message: string): number {
  io.stderr.write(`tracelens: ${message}\nRun "tracelens --help" for usage.\n`);
  return EXIT.usage;
}

/** node:util parseArgs rejects unknown options and missing values with TypeErrors coded ERR_PARSE_ARGS_*. */
function isArgError(e: unknown): boolean {
  const code: unknown = e instanceof TypeError ? (e as unknown as { code?: unknown }).code : undefined;
  return typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS');
}

async function run(args: readonly string[], io: Io): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...args],
    allowPositionals: true,
    options: {
      trace: { type: 'string' },
      vars: { type: 'string', multiple: true },
      var: { type: 'string', multiple: true },
      secret: { type: 'string', multiple: true },
      'data-store': { type: 'string' },
      'otlp-http-port': { type: 'string' },
      'otlp-grpc-port': { type: 'string' },
      'otlp-max-bytes': { type: 'string' },
      'otlp-cors-origin': { type: 'string', multiple: true },
      root: { type: 'string' },
      'allow-outside-root': { type: 'boolean' },
      timeout: { type: 'string' },
      'export-delay': { type: 'string' },
      workers: { type: 'string' },
      'save-trace': { type: 'string' },
      browser: { type: 'string' },
      'playwright-timeout': { type: 'string' },
      reporter: { type: 'string' },
      out: { type: 'string' },
    },
  });
  if (positionals.length === 0) return usageError(io, 'run: name at least one test file or directory');
  const reporter = values.reporter ?? (io.stdout.isTTY && !values.out ? 'pretty' : 'json');
  if (!['pretty', 'json', 'junit'].includes(reporter)) return usageError(io, `--reporter must be pretty, json or junit; got "${reporter}"`);
  if (values.trace && values['data-store']) return usageError(io, '--trace and --data-store exclude each other: a saved trace needs no data store');
  const timeoutMs = values.timeout === undefined ? undefined : parseDurationFlag('--timeout', values.timeout);
  const exportDelayMs = values['export-delay'] === undefined ? undefined : parseDurationFlag('--export-delay', values['export-delay'], { zero: true });
  const playwrightTimeoutMs = values['playwright-timeout'] === undefined ? undefined : parseDurationFlag('--playwright-timeout', values['playwright-timeout']);
  const workers = values.workers === undefined ? 1 : parseIntFlag('--workers', values.workers, 1);
  const httpPort = values['otlp-http-port'] === undefined ? undefined : parseIntFlag('--otlp-http-port', values['otlp-http-port'], 0, 65535);
  const grpcPort = values['otlp-grpc-port'] === undefined ? undefined : parseIntFlag('--otlp-grpc-port', values['otlp-grpc-port'], 0, 65535);
  const maxBytes = values['otlp-max-bytes'] === undefined ? undefined : parseSizeFlag('--otlp-max-bytes', values['otlp-max-bytes']);
  const corsOrigins = checkCorsOrigins('--otlp-cors-origin', values['otlp-cors-origin'] ?? []);

  const files = fileReferences(positionals, values.root, values['allow-outside-root'] ?? false);
  const inputs = await scanInputs(positionals);
  const testFiles = pickInputs(inputs);
  if (testFiles.length === 0) return usageError(io, `no test files (YAML with top-level \`type: Test\` or \`TestSuite\`) under ${positionals.join(', ')}`);
  let varsFiles = values.vars ?? [];
  if (varsFiles.length === 0) {
    varsFiles = variableSetFilesIn(inputs);
    if (varsFiles.length > 0) io.stderr.write(`tracelens: using variables from ${varsFiles.map(displayPath).join(', ')} (found next to the tests; --vars picks others)\n`);
  }
  const { variables, notes } = await loadVariables({ files: varsFiles, assignments: values.var ?? [], secrets: values.secret ?? [], env: (name) => io.env[name] });
  // From here on, everything printed passes the redactor (a test file may hold a secret's value, a trace echo it).
  const redactor = redactorFor(variables);
  io = { ...io, stdout: redacting(io.stdout, redactor), stderr: redacting(io.stderr, redactor) };
  for (const note of notes) io.stderr.write(`tracelens: ${note}\n`);
  if (!reportProblems(testFiles, io, 'run')) return EXIT.usage;
  const pollingProfiles = pollingProfilesIn(inputs);
  const gates = gateSettingsIn(inputs);
  for (const note of gates.notes) io.stderr.write(`tracelens: ${note}\n`);
  const replay = values.trace ? await readTraceFile(values.trace) : undefined;
  if (replay) for (const w of replay.warnings) io.stderr.write(`tracelens: ${displayPath(replay.path)}: ${w}\n`);
  const dataStore = values['data-store'] ? await readDataStore(values['data-store']) : undefined;
  for (const w of dataStore?.warnings ?? []) io.stderr.write(`tracelens: ${w}\n`);
  const live = replay
    ? undefined
    : await openLiveSource({
        ...(dataStore ? { dataStore: dataStore.config } : {}),
        ...(httpPort !== undefined ? { httpPort } : {}),
        ...(grpcPort !== undefined ? { grpcPort } : {}),
        ...(maxBytes !== undefined ? { maxBytes } : {}),
        corsOrigins,
      });

  const style = styleFor(io.stdout, io.env);
  const streaming = reporter === 'pretty' && !values.out;
  // A replayed run finishes at once: live progress is for runs that wait on a real system.
  const shown = shownResults(redactor);
  const progress = streaming && io.stdout.isTTY && !replay ? new LiveProgress(io.stdout, style, (e) => formatTest(shown(e.result), style)) : undefined;
  const saveTrace = values['save-trace'];
  const saving: Promise<unknown>[] = [];
  const abort = new AbortController();
  const onSigint = () => abort.abort();
  process.once('SIGINT', onSigint);
  const started = performance.now();
  try {
    const runner = new Runner({
      variables: variables.values,
      ...(replay ? { replay: replay.spans } : {}),
      ...(live ? { source: live.source } : {}),
      pollingProfiles,
      gates: gates.settings,
      timing: { ...(timeoutMs !== undefined ? { timeoutMs } : {}), ...(exportDelayMs !== undefined ? { exportDelayMs } : {}) },
      concurrency: workers,
      processEnv: (name) => io.env[name],
      playwright: {
        ...(values.browser ? { browser: { path: resolve(values.browser), from: 'flag --browser' } } : {}),
        ...(playwrightTimeoutMs !== undefined ? { timeoutMs: playwrightTimeoutMs } : {}),
        ...(saveTrace ? { traceFile: (r: { id: string; name: string; traceId: string }) => join(saveTrace, `${slug(r.id || r.name)}-${r.traceId}.trace.zip`) } : {}),
      },
      files: () => files,
      signal: abort.signal,
      onEvent: (e) => {
        if (progress) progress.onEvent(e);
        else if (streaming && e.type === 'test-finished') io.stdout.write(`${formatTest(shown(e.result), style)}\n`);
        else if (e.type === 'test-progress' && e.phase === 'late') io.stderr.write(`tracelens: warning: ${e.test}: ${lateSpansText(e.late)}\n`);
        const result = e.type === 'test-finished' ? shown(e.result) : undefined;
        if (saveTrace && result?.trace) {
          const name = `${slug(result.id || result.name)}-${result.traceId}`;
          saving.push(saveTraceFile(saveTrace, name, result.trace.spans).catch((err: Error) => io.stderr.write(`tracelens: --save-trace: ${err.message}\n`)));
        }
      },
    });
    if (replay) for (const p of runner.replayTrace?.problems ?? []) io.stderr.write(`tracelens: ${displayPath(replay.path)}: ${p.message}\n`);
    const results = (await runner.runFiles(testFiles)).map(shown);
    progress?.stop();
    await Promise.all(saving);
    const elapsed = performance.now() - started;
    const report = render(reporter, results, elapsed, values.out ? styleFor({}, {}) : style);
    if (values.out) await writeFile(values.out, report);
    else io.stdout.write(streaming ? `${formatSummary(results, elapsed, style)}\n` : report);
    if (abort.signal.aborted) io.stderr.write('tracelens: interrupted: tests not yet run were skipped\n');
    return results.every((r) => r.status === 'passed') && !abort.signal.aborted ? EXIT.passed : EXIT.failed;
  } finally {
    progress?.stop();
    process.removeListener('SIGINT', onSigint);
    await live?.close();
  }
}

/** The stream with every secret masked in what is written to it; a terminal stays a terminal (colour, width). */
function redacting(stream: Io['stdout'] & { columns?: number }, redactor: Redactor): Io['stdout'] {
  if (redactor.empty) return stream;
  return {
    write: (s: string) => stream.write(redactor.text(s)),
    get isTTY() {
      return stream.isTTY;
    },
    get columns() {
      return stream.columns;
    },
  } as Io['stdout'];
}

/** Each result as reports and saved traces show it (secrets masked), worked out once per result. */
function shownResults(redactor: Redactor): (result: TestRunResult) => TestRunResult {
  const done = new WeakMap<TestRunResult, TestRunResult>();
  return (result) => {
    let shown = done.get(result);
    if (!shown) done.set(result, (shown = redactResult(result, redactor)));
    return shown;
  };
}

/** `--root`, else the deepest folder holding every path given; `--allow-outside-root` lifts the limit. */
function fileReferences(paths: readonly string[], root: string | undefined, allowOutside: boolean): FileReferences {
  if (root !== undefined) {
    const info = statSync(root, { throwIfNoEntry: false });
    if (!info?.isDirectory()) throw new FileError(`--root ${root}: not a directory`);
    return { root: resolve(root), allowOutside, widen: 'pass a --root that holds it, or --allow-outside-root' };
  }
  const folders = paths.map((p) => {
    const absolute = resolve(p);
    return statSync(absolute, { throwIfNoEntry: false })?.isDirectory() ? absolute : dirname(absolute);
  });
  return {
    root: folders.reduce(commonFolder),
    allowOutside,
    widen: 'the root is the folder holding the paths given; pass --root <dir> for a wider one, or --allow-outside-root',
  };
}

function commonFolder(a: string, b: string): string {
  const left = a.split(sep);
  const right = b.split(sep);
  let i = 0;
  while (i < left.length && i < right.length && left[i] === right[i]) i++;
  return left.slice(0, i).join(sep) || sep;
}

function parseDurationFlag(flag: string, text: string, { zero = false } = {}): number {
  const ms = parseGoDuration(text);
  if (ms === undefined || ms < 0 || (ms === 0 && !zero)) throw new FileError(`${flag} ${text}: expected a duration such as 30s, 1m or 500ms${zero ? ' (or 0)' : ''}`);
  return ms;
}

function parseSizeFlag(flag: string, text: string): number {
  const bytes = parseByteSize(text);
  if (bytes === undefined || bytes < MIN_STORE_BYTES) throw new FileError(`${flag} ${text}: expected a size of at least 1MiB, such as 256MiB or 1GiB`);
  return bytes;
}

/** The origins as given, once each is known to be one (corsPolicy names a bad entry). */
function checkCorsOrigins(flag: string, origins: string[]): string[] {
  try {
    corsPolicy(origins);
  } catch (e) {
    throw new FileError(`${flag}: ${(e as Error).message}`);
  }
  return origins;
}

function parseIntFlag(flag: string, text: string, min: number, max = Number.MAX_SAFE_INTEGER): number {
  const n = Number(text);
  if (!/^\d+$/.test(text) || n < min || n > max) throw new FileError(`${flag} ${text}: expected a whole number from ${min}${max < Number.MAX_SAFE_INTEGER ? ` to ${max}` : ''}`);
  return n;
}

async function receiver(args: readonly string[], io: Io): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...args],
    allowPositionals: true,
    options: {
      'http-port': { type: 'string' },
      'grpc-port': { type: 'string' },
      host: { type: 'string' },
      out: { type: 'string' },
      'max-bytes': { type: 'string' },
      'cors-origin': { type: 'string', multiple: true },
    },
  });
  if (positionals.length > 0) return usageError(io, `receiver: unexpected argument "${positionals[0]}"`);
  const stop = new AbortController();
  const onSignal = () => stop.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    await runReceiver(
      {
        httpPort: values['http-port'] === undefined ? 4318 : parseIntFlag('--http-port', values['http-port'], 0, 65535),
        grpcPort: values['grpc-port'] === undefined ? 4317 : parseIntFlag('--grpc-port', values['grpc-port'], 0, 65535),
        host: values.host ?? '127.0.0.1',
        ...(values.out ? { outDir: values.out } : {}),
        ...(values['max-bytes'] !== undefined ? { maxBytes: parseSizeFlag('--max-bytes', values['max-bytes']) } : {}),
        corsOrigins: checkCorsOrigins('--cors-origin', values['cors-origin'] ?? []),
      },
      { out: io.stdout, err: io.stderr, signal: stop.signal },
    );
    return EXIT.passed;
  } finally {
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
  }
}

function render(reporter: string, results: TestRunResult[], elapsedMs: number, style: ReturnType<typeof styleFor>): string {
  if (reporter === 'json') return `${JSON.stringify(jsonReport(results), null, 2)}\n`;
  if (reporter === 'junit') return junitReport(results);
  return `${results.map((r) => formatTest(r, style)).join('\n')}\n${formatSummary(results, elapsedMs, style)}\n`;
}

async function validate(args: readonly string[], io: Io): Promise<number> {
  const { positionals } = parseArgs({ args: [...args], allowPositionals: true, options: {} });
  if (positionals.length === 0) return usageError(io, 'validate: name at least one file or directory');
  const files = pickInputs(await scanInputs(positionals), isResourceFile);
  const ok = reportProblems(files, io, 'validate');
  if (ok) io.stderr.write(`${files.length} file${files.length === 1 ? '' : 's'} valid\n`);
  return ok ? EXIT.passed : EXIT.usage;
}

/**
 * Prints `file:line:column: message` per problem; false when any is an error. `validate` checks everything; `run`
 * stops only for files that do not load: a selector, assertion or output that does not parse errors on its own.
 */
function reportProblems(files: readonly LoadedFile[], io: Io, mode: 'run' | 'validate'): boolean {
  let ok = true;
  for (const file of files) {
    const problems: Problem[] = mode === 'run' ? file.problems : validateFile(file);
    for (const p of problems) {
      io.stderr.write(`${displayPath(file.fileName)}:${p.line}:${p.column}: ${p.severity === 'warning' ? 'warning: ' : ''}${p.message}\n`);
      if (p.severity === 'error') ok = false;
    }
    const loads = problems.every((p) => p.severity !== 'error');
    if (mode === 'run' && loads && !file.resources.some((r) => r.resource?.kind === 'Test' || r.resource?.kind === 'TestSuite')) {
      io.stderr.write(`${displayPath(file.fileName)}: no Test or TestSuite in this file (a VariableSet goes to --vars)\n`);
      ok = false;
    }
  }
  return ok;
}

if (require.main === module) {
  main(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, env: process.env }).then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      process.stderr.write(`tracelens: internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
      process.exitCode = EXIT.failed;
    },
  );
}
