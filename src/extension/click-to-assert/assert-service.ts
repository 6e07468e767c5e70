// Click-to-assert, one service for both ways in (the trace panel's form and the trace document's quick pick): the
// span the user clicked in the test's last trace, the variables an assertion is previewed with (the active
// VariableSet, secrets masked as in the trace shown, then the run's outputs), the check of a request before it is
// written, the write (one undoable WorkspaceEdit through the `yaml` document API), and the re-check that shows
// the new assertion judged in the Testing view, the editor and the panel.
import type { AssertionCheck } from '../../core/engine/check-assertion';
import { parseAssertion, parseExpression } from '../../core/expression/index';
import { MASK } from '../../core/redact/redactor';
import { select } from '../../core/selector/index';
import type { EditResult, TestDef } from '../../core/testfile/index';
import type { Span, Trace } from '../../core/trace/model';
import type { RunVariables } from '../../run/variables';
import type { RunStore, StoredRun, TestKey } from '../run-store';
import type { TestRuns } from '../editor/test-runs';
import type { VscodeApi } from '../editor/vscode-api';
import { writeToTest, type WriteOptions } from '../editor/write-to-test';
import { loadRunBundle } from '../runtime/load-run';

/** A span of a test's last trace, as the panel and the trace document name it. */
export interface SpanRef {
  path: string;
  key: TestKey;
  spanId: string;
}

export interface AssertionRequest extends SpanRef {
  selector: string;
  assertion: string;
}

export interface OutputRequest extends SpanRef {
  name: string;
  selector: string;
  /** The output's value expression, e.g. `attr:db.system`. */
  value: string;
}

/** The clicked span in the trace the user sees (secrets masked), and what an assertion on it is previewed with. */
export interface SpanContext {
  path: string;
  key: TestKey;
  trace: Trace;
  span: Span;
  variables: ReadonlyMap<string, string>;
}

export type AddOutcome =
  /** `line` is 0-based in the edited text; `note` says why nothing had to change (already there). */
  | { ok: true; line?: number; note?: string }
  /** `error` is a phrase (lower case unless it starts with a path or a selector), for either front end to word. */
  | { ok: false; error: string };

export interface AssertServiceDeps {
  /** The active VariableSet (never asks for a missing secret). */
  variables(): Promise<RunVariables>;
  runs: Pick<TestRuns, 'recheckFile'>;
}

export const OUTPUT_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export class AssertService {
  constructor(
    private readonly api: VscodeApi,
    private readonly store: RunStore,
    private readonly deps: AssertServiceDeps,
  ) {}

  /** The span in the test's last trace; a phrase saying why not when the run or the span is gone. */
  async span(ref: SpanRef): Promise<SpanContext | string> {
    const run = this.store.get(ref.path, ref.key);
    const trace = run?.result.trace;
    if (!run || !trace) return 'this test has no trace any more: run it again';
    const span = trace.byId.get(ref.spanId);
    if (!span) return `span ${ref.spanId} is not in the test's last trace any more: look at the new run`;
    return { path: ref.path, key: ref.key, trace, span, variables: await this.variablesFor(run) };
  }

  /**
   * What `var:` reads while the user writes an assertion: the active VariableSet with secret values masked (they are
   * masked in the trace too, so a comparison of the two still agrees), then the run's outputs.
   */
  async variablesFor(run: StoredRun): Promise<Map<string, string>> {
    const active = await this.deps.variables();
    const values = [...active.values].map(([name, value]): [string, string] => [name, active.secrets.has(name) ? MASK : value]);
    const outputs = run.result.outputs.filter((o) => o.value !== undefined).map((o): [string, string] => [o.name, o.value!]);
    return new Map([...values, ...outputs]);
  }

  /**
   * What judges an assertion against the span as the user writes it: whether it can be written, and whether it
   * passes. Evaluation is in the run bundle, loaded on first use.
   */
  async checker(context: SpanContext): Promise<(selector: string, assertion: string) => AssertionCheck> {
    const { checkAssertion } = await loadRunBundle();
    return (selector, assertion) => checkAssertion(context.trace, context.span, selector, assertion, context.variables);
  }

  /** Checks the request against the trace, adds the assertion to the test, and re-checks the file. */
  async addAssertion(request: AssertionRequest, options: WriteOptions = {}): Promise<AddOutcome> {
    const assertion = request.assertion.trim();
    const refused = (await this.refuseSelector(request)) ?? parseError('the assertion', parseAssertion(assertion));
    if (refused) return { ok: false, error: refused };
    const edits = await loadRunBundle();
    return this.write(
      request,
      (text, document) => edits.addAssertion(text, { document, selector: request.selector, assertion }),
      (test, r) => test.specs[r.specIndex ?? -1]?.assertions.at(-1)?.range.start,
      options,
    );
  }

  /** Checks the request against the trace, adds the output to the test, and re-checks the file. */
  async addOutput(request: OutputRequest, options: WriteOptions = {}): Promise<AddOutcome> {
    const name = request.name.trim();
    const refused =
      (await this.refuseSelector(request)) ??
      (OUTPUT_NAME.test(name) ? undefined : `the output name ${JSON.stringify(name)} is not a name: letters, digits and _, not starting with a digit`) ??
      parseError('the output value', parseExpression(request.value));
    if (refused) return { ok: false, error: refused };
    const edits = await loadRunBundle();
    return this.write(
      request,
      (text, document) => edits.addOutput(text, { document, name, selector: request.selector, value: request.value }),
      (test, r) => test.outputs[r.outputIndex ?? -1]?.range.start,
      options,
    );
  }

  /** Why the selector cannot be written for this span (gone, does not parse, selects other spans), if it cannot. */
  private async refuseSelector(request: SpanRef & { selector: string }): Promise<string | undefined> {
    const context = await this.span(request);
    if (typeof context === 'string') return context;
    const selected = select(context.trace, request.selector);
    if (!selected.ok) return `the selector does not parse: column ${selected.error.column}: ${selected.error.message}`;
    if (!selected.value.includes(context.span)) return `${request.selector} does not select this span`;
    return undefined;
  }

  private async write(
    request: SpanRef,
    edit: (text: string, documentIndex: number) => EditResult,
    where: (test: TestDef, result: Extract<EditResult, { ok: true }>) => number | undefined,
    options: WriteOptions,
  ): Promise<AddOutcome> {
    const outcome = await writeToTest(this.api, request, edit, where, options);
    // The new assertion judged against the same trace: the Testing view, the editor and the panel show it.
    if (outcome.ok && !outcome.note) await this.deps.runs.recheckFile(this.api.Uri.file(request.path));
    return outcome;
  }
}

function parseError(what: string, parsed: { ok: true } | { ok: false; error: { column: number; message: string } }): string | undefined {
  return parsed.ok ? undefined : `${what} does not parse: column ${parsed.error.column}: ${parsed.error.message}`;
}

/** A phrase from the service as a sentence for the user (a leading path or selector keeps its case). */
export function asSentence(phrase: string): string {
  const capitalised = /^[a-z]+ /.test(phrase) ? phrase[0]!.toUpperCase() + phrase.slice(1) : phrase;
  return capitalised.endsWith('.') ? capitalised : `${capitalised}.`;
}
