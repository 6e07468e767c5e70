// A TestRunResult onto the Testing view: test / spec / step items passed, failed or errored, failures as diff
// messages at the assertion's line in the CURRENT text of the file (results are aligned to it).
import type * as vscode from 'vscode';
import type { TestRunResult } from '../../core/engine/result';
import type { LoadedFile, Range } from '../../core/testfile/index';
import { annotateTest, type Annotation } from '../results/annotate';
import { LineIndex } from '../results/lines';
import { findTest, triggerRange } from '../results/file-entries';
import type { VscodeApi } from '../editor/vscode-api';

/** `testMessage == tracelens.failure` in package.json menus shows "Open Trace at Span" on these messages. */
export const FAILURE_CONTEXT = 'tracelens.failure';

export interface ResultView {
  result: TestRunResult;
  /** The file of the test in its current text. */
  file: LoadedFile;
  uri: vscode.Uri;
}

export class Reporter {
  constructor(
    private readonly api: VscodeApi,
    private readonly run: vscode.TestRun,
  ) {}

  /** The test (or suite step) item: its status, with one message per failure, or the error at the trigger. */
  test(item: vscode.TestItem, view: ResultView, key: string): void {
    const { result } = view;
    const annotations = this.annotations(view, key);
    if (result.status === 'passed') return this.run.passed(item, result.durationMs);
    const bad = annotations.filter((a) => a.status !== 'passed');
    if (result.status === 'errored' && result.specs.length > 0 && bad.some((a) => a.status === 'errored')) {
      // Broken selectors, assertions and outputs error alone: each at its place, errors first, then failures.
      const ordered = [...bad.filter((a) => a.status === 'errored'), ...bad.filter((a) => a.status !== 'errored')];
      return this.run.errored(
        item,
        ordered.map((a) => this.message(view, a)),
        result.durationMs,
      );
    }
    if (result.status === 'errored') {
      const errored = annotations.find((a) => a.status === 'errored' && a.kind !== 'assertion') ?? annotations.find((a) => a.status === 'errored');
      const message = new this.api.TestMessage(result.error ?? errored?.message ?? 'errored');
      const at = result.specs.length === 0 ? this.triggerOrHead(view, key) : (errored?.range ?? this.triggerOrHead(view, key));
      if (at) message.location = this.location(view, at);
      return this.run.errored(item, message, result.durationMs);
    }
    const failed = result.specs.filter((s) => s.status !== 'passed');
    const messages = bad.map((a) => this.message(view, a));
    // A test can fail on the analyzer alone (a TestRunner requiring analyzer-score or analyzer-rules).
    for (const gate of result.gates ?? []) {
      if (gate.passed || gate.gate === 'test-specs') continue;
      const message = new this.api.TestMessage(`required gate ${gate.gate} failed: ${gate.message ?? 'failed'}`);
      const head = findTest(view.file, key)?.head;
      if (head) message.location = this.location(view, head);
      messages.push(message);
    }
    if (messages.length === 0) messages.push(new this.api.TestMessage(`${failed.length} of ${result.specs.length} specs failed`));
    this.run.failed(item, messages, result.durationMs);
  }

  /** One spec's item: its assertions' failures, or why it errored. */
  spec(item: vscode.TestItem, view: ResultView, key: string, specIndex: number): void {
    const { result } = view;
    const annotations = this.annotations(view, key);
    const own = annotations.filter((a) => a.specIndex === specIndex);
    if (result.status === 'errored' && result.specs.length === 0) {
      const message = new this.api.TestMessage(`the test errored before its specs ran: ${result.error ?? 'errored'}`);
      const at = this.triggerOrHead(view, key);
      if (at) message.location = this.location(view, at);
      return this.run.errored(item, message);
    }
    if (own.length === 0) {
      // The spec was added after the run (or changed beyond recognition): nothing to say about it.
      return this.run.skipped(item);
    }
    const bad = own.filter((a) => a.status !== 'passed');
    if (bad.length === 0) return this.run.passed(item);
    const messages = bad.map((a) => this.message(view, a));
    if (bad.some((a) => a.status === 'errored')) this.run.errored(item, messages);
    else this.run.failed(item, messages);
  }

  private annotations(view: ResultView, key: string): Annotation[] {
    const entry = findTest(view.file, key);
    return entry ? annotateTest(entry.test, key, entry.head, view.result) : [];
  }

  private message(view: ResultView, a: Annotation): vscode.TestMessage {
    const message =
      a.expected !== undefined && a.observed !== undefined ? this.api.TestMessage.diff(a.message, a.expected, a.observed) : new this.api.TestMessage(a.message);
    message.location = this.location(view, a.range);
    if (a.spanId) message.contextValue = FAILURE_CONTEXT;
    return message;
  }

  private triggerOrHead(view: ResultView, key: string): Range | undefined {
    const entry = findTest(view.file, key);
    return entry ? (triggerRange(entry.test) ?? entry.head) : undefined;
  }

  private location(view: ResultView, range: Range): vscode.Location {
    const lines = new LineIndex(view.file.text);
    const s = lines.at(range.start);
    const e = lines.at(range.end);
    return new this.api.Location(view.uri, new this.api.Range(s.line, s.character, e.line, e.character));
  }
}
