// The `tracelens` command: the same engine as the extension, for terminals and CI (spec/cli.md).
import { setMaxListeners } from 'node:events';
import { statSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import { parseArgs } from 'node:util';
import type { TestRunResult } from './core/engine/result';
import type { Redactor } from './core/redact/redactor';
import { sinceLastPass } from './core/compare/diff';
import { redactResult, redactTrace } from './core/redact/results';
import { buildTrace } from './core/trace/build';
import type { Trace } from './core/trace/model';
import { isResourceFile } from './core/testfile/index';
import { validateFile } from './core/testfile/validate';
import type { LoadedFile, Problem } from './core/testfile/model';
import { displayPath, FileError, pickInputs, scanInputs } from './run/files';
import { jsonReport } from './run/reporters/json';
import { junitReport } from './run/reporters/junit';
import { formatSummary, formatTest } from './run/reporters/pretty';
import { styleFor } from './run/reporters/style';
import { Runner, type Shard } from './run/runner';
import { openLiveSource } from './run/live-source';
import { lateSpansText, LiveProgress } from './run/reporters/progress';
import { gateSettingsIn, pollingProfilesIn, readDataStore, variableSetFilesIn } from './run/resources';
import { slug } from './core/generate/slug';
import { saveTraceFile, TRACE_FILE_EXTENSIONS, type TraceFileFormat } from './run/save-trace';
import { corsPolicy } from './run/sources/otlp/cors';
import { parseByteSize } from './run/sources/otlp/limits';
import { ReceiverStartError } from './run/sources/otlp/receiver';
import { MIN_STORE_BYTES } from './run/sources/otlp/store';
import { readTraceFile } from './run/trace-file';
import { generateTest, pickTrace } from './core/generate/index';
import type { FileReferences } from './run/triggers/files';
import { loadVariables, redactorFor } from './run/variables';
import { parseGoDuration } from './core/testfile/durations';
import { runReceiver } from './run/receiver-command';
import type { LoadModel } from './run/load/engine';
import { formatLoadReport, liveLine, type LoadReport } from './run/load/report';
import { checkSession, loadSession, prepareLoadCall, type SessionOptions } from './run/load/session';
import { parseTraceIds } from './run/load/trace-ids';
import { RunHistory } from './run/run-history';
import { timingFor } from './run/timing';

declare const TRACELENS_VERSION: string;

export const EXIT = { passed: 0, failed: 1, usage: 2 } as const;

const USAGE = `Usage:
  tracelens run <file|dir>... [options]         send each test's trigger, collect its trace, assert on it
  tracelens validate <file|dir>...              schema + selector + expression check, no run
  tracelens receiver [options]                  run the OTLP receiver alone and print (or save) the traces it gets
  tracelens load <test file> [options]          send the test's trigger under load, check a sample of the traces
  tracelens check <test file> --trace-ids <file> [options]
                                                check traces another load tool produced with the test's specs
  tracelens generate <trace file> [options]     write a test from a recorded trace: its trigger from the root span,
                                                suggested specs over the whole trace
  tracelens --help | --version

run options:
  --vars <file>             a VariableSet file (repeatable; later wins)
  --var KEY=VALUE           one variable (repeatable; wins over files)
  --secret KEY[=VALUE]      a secret variable, masked in everything the run writes (repeatable; wins over
                            --var); KEY alone takes the value of the environment variable KEY
  --trace <file>            send nothing: assert against this saved trace (OTLP JSON/protobuf, Jaeger JSON, Tempo JSON,
                            the Collector's file exporter output)
  --trace-id <id>           with --trace: the trace to use when the file holds several
  --data-store <file|spec>  read traces from this DataStore file, or jaeger=<url>, tempo=<url>, file=<path>;
                            default: the embedded OTLP receiver
  --otlp-http-port <n>      embedded receiver's OTLP/HTTP port (default 4318; 0 = any free port)
  --otlp-grpc-port <n>      embedded receiver's OTLP/gRPC port (default 4317; 0 = any free port)
  --otlp-max-bytes <size>   memory the embedded receiver keeps spans in, e.g. 512MiB (default 256MiB)
  --otlp-max-spans-per-trace <n>
                            spans the embedded receiver keeps of one trace (default 100000); later ones are dropped
  --otlp-cors-origin <url>  a web origin besides localhost allowed to send traces to it (repeatable; * = any)
  --root <dir>              the project root that body, proto and query files must be inside
                            (default: the folder holding every file and directory given)
  --allow-outside-root      let tests read files outside the project root
  --timeout <duration>      how long to wait for a trace, e.g. 30s, 1m (default 30s)
  --export-delay <duration> how long spans a run still expects are waited for once nothing arrives: a span for a
                            selector that matches nothing, a counted spec, a service of the last run, a missing
                            parent (default 5.5s, for the SDKs' 5 s batches; services the receiver has seen in
                            earlier runs are waited for as long as they took then)
  --compare <file>          a saved trace of the test's last pass (as --save-trace writes it): under a failed test,
                            what changed since (spans missing or added, counts, the selected spans' attributes,
                            durations)
  --workers <n>             tests and suites run at once (default 1; suite steps always run in order)
  --save-trace <dir>        save each run's trace as OTLP JSON (replayable with --trace), and the Playwright
                            trace (trace.zip) of each playwrightengine test
  --save-trace-format json|protobuf
                            how --save-trace writes traces: json (default, <test>-<trace id>.otlp.json) or protobuf
                            (.otlp.binpb: an OTLP ExportTraceServiceRequest, about a fifth of the size and several
                            times faster to replay; for large traces)
  --browser <path>          Chromium or Chrome for playwrightengine tests (default: PLAYWRIGHT_CHROMIUM_EXECUTABLE_PATH,
                            Playwright's Chromium, then chromium or google-chrome on PATH)
  --playwright-timeout <duration>
                            how long a playwrightengine script may run, e.g. 2m (default 60s)
  --reporter <name>         pretty | json | junit (default: pretty on a terminal, json otherwise)
  --out <file>              write the report to a file instead of stdout
  --shard <i>/<n>           run the i-th of n parts of the tests (1-based); a suite stays whole, every test runs
                            in exactly one part

load options (and --vars, --var, --secret, --data-store, --otlp-*, --root, --allow-outside-root, --timeout,
--export-delay, --save-trace and --save-trace-format for failed traces, --reporter pretty|json, --out):
  --rate <n>[/s]            open model: n requests a second, whatever the answers (default 10/s)
  --vus <n>                 closed model instead: n virtual users, each sending again once answered
  --duration <duration>     how long the load runs, ramp-up included (default 30s)
  --ramp-up <duration>      the rate (or the users) climb from 0 over this first part (default 0)
  --sample <share>          share of requests whose trace is checked, 0 to 1 (default 0.1)
  --max-checks <n>          traces checked at once at most; beyond it requests are not sampled (default 200)
  --max-in-flight <n>       open model: requests in flight at most; arrivals beyond are not sent and count as
                            errors (default 5000)
  --pass-rate <share>       share of checked traces that must pass (default 1)

check options: --trace-ids <file> (ids one per line, k6's JSON output, or a JSON report such as Artillery's),
--max-checks, --pass-rate, and the load options that apply to traces (--data-store, --timeout, --vars…).

generate options:
  --trace-id <id>           the trace to use when the file holds several
  --out <file>              write the test there instead of stdout

receiver options:
  --http-port <n>, --grpc-port <n>   ports (defaults 4318 and 4317; 0 = any free port)
  --host <address>                   address to listen on (default 127.0.0.1)
  --out <dir>                        save each trace as <dir>/<trace id>.otlp.json once it settles
  --out-format json|protobuf         how --out saves traces: json (default) or protobuf (<trace id>.otlp.binpb)
  --max-bytes <size>                 memory spans are kept in, e.g. 512MiB (default 256MiB)
  --max-spans-per-trace <n>          spans kept of one trace (default 100000); later ones are dropped
  --cors-origin <url>                a web origin besides localhost allowed to send traces (repeatable; * = any)

Exit codes: 0 all passed (load, check: the pass rate was met), 1 a test failed or errored (the pass rate was not met), 2 usage error, unreadable or invalid file,
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
      case 'load':
        return await load(rest, io);
      case 'check':
        return await check(rest, io);
      case 'generate':
        return await generate(rest, io);
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

/** Options of `run`, `load` and `check`. */
const SHARED_OPTIONS = {
  vars: { type: 'string', multiple: true },
  var: { type: 'string', multiple: true },
  secret: { type: 'string', multiple: true },
  'data-store': { type: 'string' },
  'otlp-http-port': { type: 'string' },
  'otlp-grpc-port': { type: 'string' },
  'otlp-max-bytes': { type: 'string' },
  'otlp-max-spans-per-trace': { type: 'string' },
  'otlp-cors-origin': { type: 'string', multiple: true },
  root: { type: 'string' },
  'allow-outside-root': { type: 'boolean' },
  timeout: { type: 'string' },
  'export-delay': { type: 'string' },
  'save-trace': { type: 'string' },
  'save-trace-format': { type: 'string' },
  reporter: { type: 'string' },
  out: { type: 'string' },
} as const;

type SharedValues = {
  [K in keyof typeof SHARED_OPTIONS]?: (typeof SHARED_OPTIONS)[K] extends { multiple: true }
    ? string[]
    : (typeof SHARED_OPTIONS)[K] extends { type: 'boolean' }
      ? boolean
      : string;
};

/** `--save-trace-format`: json (the default) or protobuf. */
function saveTraceFormat(values: SharedValues): TraceFileFormat {
  const text = values['save-trace-format'];
  if (text === undefined) return 'json';
  if (values['save-trace'] === undefined) throw new FileError(`--save-trace-format ${text}: needs --save-trace <dir>`);
  return traceFileFormatFlag('--save-trace-format', text);
}

/** A saved trace's format as a flag names it: json or protobuf; `proto`, as the Collector's file exporter spells it, too. */
function traceFileFormatFlag(flag: string, text: string): TraceFileFormat {
  if (text === 'json' || text === 'protobuf') return text;
  if (text === 'proto') return 'protobuf';
  throw new FileError(`${flag} must be json or protobuf (files ${TRACE_FILE_EXTENSIONS.json} or ${TRACE_FILE_EXTENSIONS.protobuf}); got "${text}"`);
}

/** The embedded receiver's flags, checked, as `openLiveSource` takes them. */
function receiverFlags(values: SharedValues) {
  const flag = (name: keyof SharedValues & `otlp-${string}`, min: number, max?: number) => {
    const text = values[name] as string | undefined;
    return text === undefined ? undefined : parseIntFlag(`--${name}`, text, min, max);
  };
  const httpPort = flag('otlp-http-port', 0, 65535);
  const grpcPort = flag('otlp-grpc-port', 0, 65535);
  const maxSpansPerTrace = flag('otlp-max-spans-per-trace', 1);
  const maxBytes = values['otlp-max-bytes'] === undefined ? undefined : parseSizeFlag('--otlp-max-bytes', values['otlp-max-bytes']);
  return {
    ...(httpPort !== undefined ? { httpPort } : {}),
    ...(grpcPort !== undefined ? { grpcPort } : {}),
    ...(maxBytes !== undefined ? { maxBytes } : {}),
    ...(maxSpansPerTrace !== undefined ? { maxSpansPerTrace } : {}),
    corsOrigins: checkCorsOrigins('--otlp-cors-origin', values['otlp-cors-origin'] ?? []),
  };
}

/**
 * The run's variables (`--vars`, else the VariableSets next to the tests; `--var`, `--secret`), the redactor of its
 * secrets, and the output streams that pass it.
 */
async function variablesFor(values: SharedValues, inputs: Awaited<ReturnType<typeof scanInputs>>, io: Io, noun: 'test' | 'tests') {
  let varsFiles = values.vars ?? [];
  if (varsFiles.length === 0) {
    varsFiles = variableSetFilesIn(inputs);
    if (varsFiles.length > 0)
      io.stderr.write(`tracelens: using variables from ${varsFiles.map(displayPath).join(', ')} (found next to the ${noun}; --vars picks others)\n`);
  }
  const { variables, notes } = await loadVariables({
    files: varsFiles,
    assignments: values.var ?? [],
    secrets: values.secret ?? [],
    env: (name) => io.env[name],
  });
  const redactor = redactorFor(variables);
  const masked: Io = { ...io, stdout: redacting(io.stdout, redactor), stderr: redacting(io.stderr, redactor) };
  for (const note of notes) masked.stderr.write(`tracelens: ${note}\n`);
  return { variables, redactor, io: masked };
}

async function run(args: readonly string[], io: Io): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...args],
    allowPositionals: true,
    options: {
      ...SHARED_OPTIONS,
      trace: { type: 'string' },
      'trace-id': { type: 'string' },
      compare: { type: 'string' },
      workers: { type: 'string' },
      browser: { type: 'string' },
      'playwright-timeout': { type: 'string' },
      shard: { type: 'string' },
    },
  });
  if (positionals.length === 0) return usageError(io, 'run: name at least one test file or directory');
  const shard = values.shard === undefined ? undefined : parseShardFlag(values.shard);
  const reporter = values.reporter ?? (io.stdout.isTTY && !values.out ? 'pretty' : 'json');
  if (!['pretty', 'json', 'junit'].includes(reporter)) return usageError(io, `--reporter must be pretty, json or junit; got "${reporter}"`);
  if (values.trace && values['data-store']) return usageError(io, '--trace and --data-store exclude each other: a saved trace needs no data store');
  if (values['trace-id'] !== undefined && !values.trace) return usageError(io, '--trace-id picks a trace of the --trace file: name the file with --trace');
  const timeoutMs = values.timeout === undefined ? undefined : parseDurationFlag('--timeout', values.timeout);
  const exportDelayMs = values['export-delay'] === undefined ? undefined : parseDurationFlag('--export-delay', values['export-delay'], { zero: true });
  const playwrightTimeoutMs = values['playwright-timeout'] === undefined ? undefined : parseDurationFlag('--playwright-timeout', values['playwright-timeout']);
  const workers = values.workers === undefined ? 1 : parseIntFlag('--workers', values.workers, 1);
  const receiver = receiverFlags(values);
  const saveFormat = saveTraceFormat(values);

  const files = fileReferences(positionals, values.root, values['allow-outside-root'] ?? false);
  const inputs = await scanInputs(positionals);
  const testFiles = pickInputs(inputs);
  if (testFiles.length === 0) return usageError(io, `no test files (YAML with top-level \`type: Test\` or \`TestSuite\`) under ${positionals.join(', ')}`);
  // From here on, everything printed passes the redactor (a test file may hold a secret's value, a trace echo it).
  const { variables, redactor, io: masked } = await variablesFor(values, inputs, io, 'tests');
  io = masked;
  if (!reportProblems(testFiles, io, 'run')) return EXIT.usage;
  const pollingProfiles = pollingProfilesIn(inputs);
  const gates = gateSettingsIn(inputs);
  for (const note of gates.notes) io.stderr.write(`tracelens: ${note}\n`);
  const replay = values.trace ? await readTraceFile(values.trace) : undefined;
  if (replay && values['trace-id'] !== undefined) {
    const picked = pickTrace(replay.spans, values['trace-id']);
    if (!picked.ok) return usageError(io, `--trace-id: ${displayPath(replay.path)}: ${picked.error.message}`);
    replay.spans = picked.value;
  }
  if (replay) for (const w of replay.warnings) io.stderr.write(`tracelens: ${displayPath(replay.path)}: ${w}\n`);
  const lastPass = values.compare ? await readTraceFile(values.compare) : undefined;
  if (lastPass) for (const w of lastPass.warnings) io.stderr.write(`tracelens: ${displayPath(lastPass.path)}: ${w}\n`);
  const dataStore = values['data-store'] ? await readDataStore(values['data-store']) : undefined;
  for (const w of dataStore?.warnings ?? []) io.stderr.write(`tracelens: ${w}\n`);
  const live = replay
    ? undefined
    : await openLiveSource({
        ...(dataStore ? { dataStore: dataStore.config } : {}),
        ...receiver,
      });

  const style = styleFor(io.stdout, io.env);
  const streaming = reporter === 'pretty' && !values.out;
  // A replayed run finishes at once: live progress is for runs that wait on a real system.
  const shown = shownResults(redactor, lastPass && redactTrace(buildTrace(lastPass.spans), redactor));
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
        ...(saveTrace
          ? { traceFile: (r: { id: string; name: string; traceId: string }) => join(saveTrace, `${slug(r.id || r.name)}-${r.traceId}.trace.zip`) }
          : {}),
      },
      files: () => files,
      signal: abort.signal,
      ...(shard ? { shard } : {}),
      onEvent: (e) => {
        if (progress) progress.onEvent(e);
        else if (streaming && e.type === 'test-finished') io.stdout.write(`${formatTest(shown(e.result), style)}\n`);
        else if (e.type === 'test-progress' && e.phase === 'late') io.stderr.write(`tracelens: warning: ${e.test}: ${lateSpansText(e.late)}\n`);
        const result = e.type === 'test-finished' ? shown(e.result) : undefined;
        if (saveTrace && result?.trace) {
          const name = `${slug(result.id || result.name)}-${result.traceId}`;
          saving.push(
            saveTraceFile(saveTrace, name, result.trace.spans, saveFormat).catch((err: Error) => io.stderr.write(`tracelens: --save-trace: ${err.message}\n`)),
          );
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
/** Results as printed: secrets masked, and a failed test's trace compared with the last pass's (`--compare`). */
function shownResults(redactor: Redactor, lastPass: Trace | undefined): (result: TestRunResult) => TestRunResult {
  const done = new WeakMap<TestRunResult, TestRunResult>();
  return (result) => {
    let shown = done.get(result);
    if (!shown) done.set(result, (shown = withComparison(redactResult(result, redactor), lastPass)));
    return shown;
  };
}

function withComparison(result: TestRunResult, lastPass: Trace | undefined): TestRunResult {
  if (!lastPass || !result.trace || result.status !== 'failed') return result;
  return { ...result, sinceLastPass: sinceLastPass(lastPass, { ...result, trace: result.trace }) };
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
  if (ms === undefined || ms < 0 || (ms === 0 && !zero))
    throw new FileError(`${flag} ${text}: expected a duration such as 30s, 1m or 500ms${zero ? ' (or 0)' : ''}`);
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
  if (!/^\d+$/.test(text) || n < min || n > max)
    throw new FileError(`${flag} ${text}: expected a whole number from ${min}${max < Number.MAX_SAFE_INTEGER ? ` to ${max}` : ''}`);
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
      'out-format': { type: 'string' },
      'max-bytes': { type: 'string' },
      'max-spans-per-trace': { type: 'string' },
      'cors-origin': { type: 'string', multiple: true },
    },
  });
  if (positionals.length > 0) return usageError(io, `receiver: unexpected argument "${positionals[0]}"`);
  const outFormat = values['out-format'];
  if (outFormat !== undefined && !values.out) throw new FileError(`--out-format ${outFormat}: needs --out <dir>`);
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
        ...(values.out ? { outDir: values.out, outFormat: outFormat === undefined ? 'json' : traceFileFormatFlag('--out-format', outFormat) } : {}),
        ...(values['max-bytes'] !== undefined ? { maxBytes: parseSizeFlag('--max-bytes', values['max-bytes']) } : {}),
        ...(values['max-spans-per-trace'] !== undefined ? { maxSpansPerTrace: parseIntFlag('--max-spans-per-trace', values['max-spans-per-trace'], 1) } : {}),
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

/** Options `load` and `check` share with `run`, and add. */
const TRACE_OPTIONS = {
  ...SHARED_OPTIONS,
  'max-checks': { type: 'string' },
  'pass-rate': { type: 'string' },
} as const;

async function load(args: readonly string[], io: Io): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...args],
    allowPositionals: true,
    options: {
      ...TRACE_OPTIONS,
      rate: { type: 'string' },
      vus: { type: 'string' },
      duration: { type: 'string' },
      'ramp-up': { type: 'string' },
      sample: { type: 'string' },
      'max-in-flight': { type: 'string' },
    },
  });
  if (values.rate !== undefined && values.vus !== undefined) return usageError(io, 'load: --rate (open model) and --vus (closed model) exclude each other');
  const model: LoadModel =
    values.vus !== undefined ? { kind: 'closed', vus: parseIntFlag('--vus', values.vus, 1) } : { kind: 'open', rate: parseRateFlag(values.rate ?? '10') };
  const durationMs = parseDurationFlag('--duration', values.duration ?? '30s');
  const rampUpMs = values['ramp-up'] === undefined ? 0 : parseDurationFlag('--ramp-up', values['ramp-up'], { zero: true });
  if (rampUpMs > durationMs)
    return usageError(io, `--ramp-up ${values['ramp-up']} is longer than --duration ${values.duration ?? '30s'}: the ramp-up is part of the duration`);
  const sample = values.sample === undefined ? 0.1 : parseShareFlag('--sample', values.sample);
  const maxInFlight = values['max-in-flight'] === undefined ? 5000 : parseIntFlag('--max-in-flight', values['max-in-flight'], 1);
  return traceSession('load', positionals, values, io, async (session, shown, style) => {
    const prepared = await prepareLoadCall(session.run);
    if (!prepared.ok) {
      io.stderr.write(`${session.run.file}: ${prepared.error.message}\n`);
      return undefined;
    }
    const live = io.stderr.isTTY && !shown.json ? io.stderr : undefined;
    return loadSession(
      {
        ...session,
        ...(live ? { onTick: (stats, tally) => live.write(`\r\u001b[2K${style.dim(liveLine(stats, tally))}`) } : {}),
      },
      prepared.call,
      { model, durationMs, rampUpMs, maxInFlight },
      sample,
    ).finally(() => live?.write('\r\u001b[2K'));
  });
}

async function check(args: readonly string[], io: Io): Promise<number> {
  const { values, positionals } = parseArgs({ args: [...args], allowPositionals: true, options: { ...TRACE_OPTIONS, 'trace-ids': { type: 'string' } } });
  const idsFile = values['trace-ids'];
  if (!idsFile) return usageError(io, 'check: name the file of trace ids with --trace-ids <file>');
  let text: string;
  try {
    text = await readFile(idsFile, 'utf8');
  } catch (e) {
    throw new FileError(`--trace-ids ${idsFile}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`);
  }
  const ids = parseTraceIds(text, displayPath(idsFile));
  if (!ids.ok) throw new FileError(ids.message);
  return traceSession('check', positionals, values, io, (session) => checkSession(session, ids.ids));
}

type TraceValues = {
  [K in keyof typeof TRACE_OPTIONS]?: (typeof TRACE_OPTIONS)[K] extends { multiple: true }
    ? string[]
    : (typeof TRACE_OPTIONS)[K] extends { type: 'boolean' }
      ? boolean
      : string;
};

/** What `load` and `check` share: the test, its variables and secrets, the trace source, and the report. */
async function traceSession(
  command: 'load' | 'check',
  positionals: string[],
  values: TraceValues,
  io: Io,
  body: (session: SessionOptions, shown: { json: boolean }, style: ReturnType<typeof styleFor>) => Promise<{ report: LoadReport; loadMs?: number } | undefined>,
): Promise<number> {
  if (positionals.length !== 1) return usageError(io, `${command}: name one test file`);
  const reporter = values.reporter ?? (io.stdout.isTTY && !values.out ? 'pretty' : 'json');
  if (!['pretty', 'json'].includes(reporter)) return usageError(io, `--reporter must be pretty or json for ${command}; got "${reporter}"`);
  const timeoutMs = values.timeout === undefined ? undefined : parseDurationFlag('--timeout', values.timeout);
  const exportDelayMs = values['export-delay'] === undefined ? undefined : parseDurationFlag('--export-delay', values['export-delay'], { zero: true });
  const receiver = receiverFlags(values);
  const saveFormat = saveTraceFormat(values);
  const maxChecks = values['max-checks'] === undefined ? 200 : parseIntFlag('--max-checks', values['max-checks'], 1);
  const passRate = values['pass-rate'] === undefined ? 1 : parseShareFlag('--pass-rate', values['pass-rate']);

  const files = fileReferences(positionals, values.root, values['allow-outside-root'] ?? false);
  const inputs = await scanInputs(positionals);
  const [file] = pickInputs(inputs);
  if (!file) return usageError(io, `${positionals[0]}: not a test file (YAML with top-level \`type: Test\`)`);
  const tests = file.resources.flatMap((r) => (r.resource?.kind === 'Test' ? [r.resource] : []));
  const { variables, redactor, io: masked } = await variablesFor(values, inputs, io, 'test');
  io = masked;
  if (!reportProblems([file], io, 'run')) return EXIT.usage;
  const [test] = tests;
  if (!test) return usageError(io, `${displayPath(file.fileName)}: ${command} needs a Test (a TestSuite runs its steps in order, which a load cannot)`);
  if (tests.length > 1)
    io.stderr.write(`tracelens: ${displayPath(file.fileName)} holds ${tests.length} tests; ${command} uses the first, ${test.name?.value ?? test.id?.value}\n`);
  const timing = timingFor(test, pollingProfilesIn(inputs), {
    ...(timeoutMs !== undefined ? { timeoutMs } : {}),
    ...(exportDelayMs !== undefined ? { exportDelayMs } : {}),
  });
  if (!timing.ok) return usageError(io, `${displayPath(file.fileName)}: ${timing.error}`);
  const gates = gateSettingsIn(inputs);
  const dataStore = values['data-store'] ? await readDataStore(values['data-store']) : undefined;
  for (const w of dataStore?.warnings ?? []) io.stderr.write(`tracelens: ${w}\n`);
  const live = await openLiveSource({
    ...(dataStore ? { dataStore: dataStore.config } : {}),
    ...receiver,
  });
  const abort = new AbortController();
  // Every request of the load listens to it.
  setMaxListeners(0, abort.signal);
  const onSigint = () => abort.abort();
  process.once('SIGINT', onSigint);
  const style = styleFor(io.stdout, io.env);
  const saveErrors = new Set<string>();
  try {
    const path = resolve(file.fileName);
    const outcome = await body(
      {
        run: {
          test,
          path,
          file: displayPath(file.fileName),
          text: file.text,
          name: test.name?.value ?? test.id?.value ?? displayPath(file.fileName),
          variables: variables.values,
          processEnv: (name) => io.env[name],
          files,
          timing: timing.value,
          gates: gates.settings,
          source: live.source,
          history: new RunHistory(),
          signal: abort.signal,
        },
        ...(live.store ? { store: live.store } : {}),
        maxChecks,
        passRate,
        shown: shownResults(redactor, undefined),
        ...(values['save-trace'] ? { saveTraceDir: values['save-trace'], saveTraceFormat: saveFormat } : {}),
        signal: abort.signal,
        onSaveError: (message) => saveErrors.add(message),
      },
      { json: reporter === 'json' },
      style,
    );
    if (!outcome) return EXIT.usage;
    const { report } = outcome;
    for (const message of saveErrors) io.stderr.write(`tracelens: --save-trace: ${message}\n`);
    const notes = reportNotes(report, abort.signal.aborted);
    const text =
      reporter === 'json' ? `${JSON.stringify(report, null, 2)}\n` : formatLoadReport(report, values.out ? styleFor({}, {}) : style, notes, outcome.loadMs);
    if (values.out) await writeFile(values.out, redactor.text(text));
    else io.stdout.write(text);
    if (reporter === 'json' || values.out) for (const note of notes) io.stderr.write(`tracelens: ${note}\n`);
    return report.status === 'passed' && !abort.signal.aborted ? EXIT.passed : EXIT.failed;
  } finally {
    process.removeListener('SIGINT', onSigint);
    await live.close();
  }
}

function reportNotes(report: LoadReport, interrupted: boolean): string[] {
  const notes: string[] = [];
  if (interrupted) notes.push('interrupted: the load stopped early');
  if (report.traces.unresolved > 0) notes.push(`${report.traces.unresolved} sampled trace(s) did not arrive or settle within the timeout: not judged`);
  if (report.passRate === null) notes.push('no trace was judged: nothing says the system behaved (raise --sample, check the trace source)');
  return notes;
}

/** `2/4`: the second of four shards. */
function parseShardFlag(text: string): Shard {
  const match = /^(\d+)\/(\d+)$/.exec(text.trim());
  const index = Number(match?.[1]);
  const count = Number(match?.[2]);
  if (!match || count < 1 || index < 1 || index > count) throw new FileError(`--shard ${text}: expected <i>/<n> with 1 ≤ i ≤ n, such as 1/4`);
  return { index, count };
}

/** `200`, `200/s`: requests a second. */
function parseRateFlag(text: string): number {
  const match = /^(\d+(?:\.\d+)?)(?:\/s)?$/.exec(text.trim());
  const rate = match ? Number(match[1]) : NaN;
  if (!(rate > 0)) throw new FileError(`--rate ${text}: expected requests a second, such as 50 or 200/s`);
  return rate;
}

function parseShareFlag(flag: string, text: string): number {
  const share = Number(text);
  if (text.trim() === '' || !(share >= 0 && share <= 1)) throw new FileError(`${flag} ${text}: expected a share from 0 to 1, such as 0.1`);
  return share;
}

function render(reporter: string, results: TestRunResult[], elapsedMs: number, style: ReturnType<typeof styleFor>): string {
  if (reporter === 'json') return `${JSON.stringify(jsonReport(results), null, 2)}\n`;
  if (reporter === 'junit') return junitReport(results);
  return `${results.map((r) => formatTest(r, style)).join('\n')}\n${formatSummary(results, elapsedMs, style)}\n`;
}

async function generate(args: readonly string[], io: Io): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...args],
    allowPositionals: true,
    options: { 'trace-id': { type: 'string' }, out: { type: 'string' } },
  });
  if (positionals.length !== 1) return usageError(io, 'generate: name one trace file (OTLP JSON or protobuf, Jaeger JSON, Tempo JSON)');
  const file = await readTraceFile(positionals[0]!);
  for (const w of file.warnings) io.stderr.write(`tracelens: ${displayPath(file.path)}: ${w}\n`);
  const picked = pickTrace(file.spans, values['trace-id']);
  if (!picked.ok) throw new FileError(`${displayPath(file.path)}: ${picked.error.message}`);
  const test = generateTest(picked.value);
  if (values.out) {
    await writeFile(values.out, test.text).catch((e: NodeJS.ErrnoException) => {
      throw new FileError(`${displayPath(values.out!)}: cannot write the test: ${e.code ?? e.message}`, { cause: e });
    });
    io.stderr.write(`tracelens: wrote ${displayPath(values.out)} (${test.trigger} trigger) from trace ${test.traceId}\n`);
  } else io.stdout.write(test.text);
  if (test.variables.length > 0) io.stderr.write(`tracelens: the test needs ${test.variables.join(', ')} (--var, --secret or a VariableSet)\n`);
  return EXIT.passed;
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
