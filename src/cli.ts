// The `tracelens` command: the same engine as the extension, for terminals and CI (spec/cli.md).
import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import type { TestRunResult } from './core/engine/result';
import { isResourceFile } from './core/testfile/index';
import { validateFile } from './core/testfile/validate';
import type { LoadedFile, Problem } from './core/testfile/model';
import { displayPath, expandInputs, FileError, readTestFile } from './run/files';
import { jsonReport } from './run/reporters/json';
import { junitReport } from './run/reporters/junit';
import { formatSummary, formatTest, styleFor } from './run/reporters/pretty';
import { Runner } from './run/runner';
import { readTraceFile } from './run/trace-file';
import { loadVariables } from './run/variables';

declare const TRACELENS_VERSION: string;

export const EXIT = { passed: 0, failed: 1, usage: 2 } as const;

const USAGE = `Usage:
  tracelens run <file|dir>... --trace <file> [options]   run tests and test suites against a saved trace
  tracelens validate <file|dir>...                       schema + selector + expression check, no run
  tracelens --help | --version

run options:
  --trace <file>         assert against this saved trace (OTLP JSON/protobuf, Jaeger JSON, Tempo JSON)
  --vars <file>          a VariableSet file (repeatable; later wins)
  --var KEY=VALUE        one variable (repeatable; wins over files)
  --reporter <name>      pretty | json | junit (default: pretty on a terminal, json otherwise)
  --out <file>           write the report to a file instead of stdout

Exit codes: 0 all passed, 1 a test failed or errored, 2 usage error or invalid file (nothing was run).`;

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
      reporter: { type: 'string' },
      out: { type: 'string' },
    },
  });
  if (positionals.length === 0) return usageError(io, 'run: name at least one test file or directory');
  const reporter = values.reporter ?? (io.stdout.isTTY && !values.out ? 'pretty' : 'json');
  if (!['pretty', 'json', 'junit'].includes(reporter)) return usageError(io, `--reporter must be pretty, json or junit; got "${reporter}"`);
  if (!values.trace) {
    return usageError(io, 'run: sending triggers is not available in this version; pass --trace <file> to assert against a saved trace');
  }

  const paths = await expandInputs(positionals);
  if (paths.length === 0) return usageError(io, `no test files (YAML with top-level \`type: Test\` or \`TestSuite\`) under ${positionals.join(', ')}`);
  const files = await Promise.all(paths.map(readTestFile));
  if (!reportProblems(files, io, { runnableOnly: true })) return EXIT.usage;
  const variables = await loadVariables(values.vars ?? [], values.var ?? []);
  const replay = await readTraceFile(values.trace);
  for (const w of replay.warnings) io.stderr.write(`tracelens: ${displayPath(replay.path)}: ${w}\n`);

  const style = styleFor(io.stdout, io.env);
  const live = reporter === 'pretty' && !values.out;
  const started = performance.now();
  const runner = new Runner({
    variables,
    replay,
    processEnv: (name) => io.env[name],
    onEvent: (e) => {
      if (live && e.type === 'test-finished') io.stdout.write(`${formatTest(e.result, style)}\n`);
    },
  });
  for (const p of runner.replayTrace.problems) io.stderr.write(`tracelens: ${displayPath(replay.path)}: ${p.message}\n`);
  const results = await runner.runFiles(files);
  const elapsed = performance.now() - started;

  const report = render(reporter, results, elapsed, values.out ? styleFor({}, {}) : style);
  if (values.out) await writeFile(values.out, report);
  else io.stdout.write(live ? `${formatSummary(results, elapsed, style)}\n` : report);
  return results.every((r) => r.status === 'passed') ? EXIT.passed : EXIT.failed;
}

function render(reporter: string, results: TestRunResult[], elapsedMs: number, style: ReturnType<typeof styleFor>): string {
  if (reporter === 'json') return `${JSON.stringify(jsonReport(results), null, 2)}\n`;
  if (reporter === 'junit') return junitReport(results);
  return `${results.map((r) => formatTest(r, style)).join('\n')}\n${formatSummary(results, elapsedMs, style)}\n`;
}

async function validate(args: readonly string[], io: Io): Promise<number> {
  const { positionals } = parseArgs({ args: [...args], allowPositionals: true, options: {} });
  if (positionals.length === 0) return usageError(io, 'validate: name at least one file or directory');
  const paths = await expandInputs(positionals, isResourceFile);
  const files = await Promise.all(paths.map(readTestFile));
  const ok = reportProblems(files, io, { runnableOnly: false });
  if (ok) io.stderr.write(`${files.length} file${files.length === 1 ? '' : 's'} valid\n`);
  return ok ? EXIT.passed : EXIT.usage;
}

/** Prints `file:line:column: message` per problem; false when any is an error. */
function reportProblems(files: readonly LoadedFile[], io: Io, { runnableOnly }: { runnableOnly: boolean }): boolean {
  let ok = true;
  for (const file of files) {
    const problems: Problem[] = validateFile(file);
    if (runnableOnly && problems.length === 0 && !file.resources.some((r) => r.resource?.kind === 'Test' || r.resource?.kind === 'TestSuite')) {
      io.stderr.write(`${displayPath(file.fileName)}: no Test or TestSuite in this file (a VariableSet goes to --vars)\n`);
      ok = false;
    }
    for (const p of problems) {
      io.stderr.write(`${displayPath(file.fileName)}:${p.line}:${p.column}: ${p.severity === 'warning' ? 'warning: ' : ''}${p.message}\n`);
      if (p.severity === 'error') ok = false;
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
