// The Testing view's items: file → test → spec, file → suite → step. Files are recognised by content
// (top-level `type: Test | TestSuite | Transaction`), re-read when they change on disk or in an editor.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type * as vscode from 'vscode';
import { loadFile, type LoadedFile, type Range, type SourceString } from '../../core/testfile/index';
import type { LineIndex } from '../results/lines';
import { entriesOf, fileLevelProblems, problemText, type FileEntry } from '../results/file-entries';
import type { TestKey } from '../run-store';
import type { TestDocument, TestDocuments } from '../editor/test-documents';
import type { VscodeApi } from '../editor/vscode-api';

export type ItemData =
  | { kind: 'file'; path: string }
  | { kind: 'test'; path: string; key: TestKey }
  | { kind: 'spec'; path: string; key: TestKey; specIndex: number }
  | { kind: 'suite'; path: string; key: TestKey }
  | { kind: 'step'; path: string; key: TestKey; stepIndex: number; target?: StepTarget }
  | { kind: 'broken'; path: string; key: TestKey; message: string };

/** The test a suite step runs, as the runner resolves it: a path relative to the suite file, else a test id. */
export interface StepTarget {
  path: string;
  key: TestKey;
  label: string;
}

export const YAML_GLOB = '**/*.{yaml,yml}';
const EXCLUDE_GLOB = '**/node_modules/**';

export class TestTree {
  private readonly data = new WeakMap<vscode.TestItem, ItemData>();
  private readonly files = new Map<string, LoadedFile>();
  private discovery: Promise<void> | undefined;

  constructor(
    private readonly api: VscodeApi,
    readonly controller: vscode.TestController,
    private readonly documents: TestDocuments,
  ) {}

  dataOf(item: vscode.TestItem): ItemData | undefined {
    return this.data.get(item);
  }

  /** Finds every test file of the workspace once (when the Testing view or a "run all" first needs them). */
  discoverWorkspace(): Promise<void> {
    this.discovery ??= (async () => {
      const uris = await this.api.workspace.findFiles(YAML_GLOB, EXCLUDE_GLOB);
      for (const uri of uris) await this.refresh(uri);
    })();
    return this.discovery;
  }

  /** The refresh button: the next discovery searches the workspace again. */
  forgetDiscovery(): void {
    this.discovery = undefined;
  }

  /** Re-reads one file (editor text if open, else disk) and rebuilds its items; drops it when no longer a test file. */
  async refresh(uri: vscode.Uri): Promise<void> {
    if (isExcluded(uri)) return;
    this.update(uri, await this.documents.read(uri));
  }

  /** Rebuilds the file's items from its current parse; drops them when it holds no tests (any more). */
  update(uri: vscode.Uri, document: TestDocument | undefined): void {
    if (isExcluded(uri)) return;
    const id = uri.toString();
    if (!document?.runnable) {
      this.files.delete(uri.fsPath);
      this.controller.items.delete(id);
      return;
    }
    const { file, lines } = document;
    this.files.set(uri.fsPath, file);
    let item = this.controller.items.get(id);
    if (!item) {
      item = this.controller.createTestItem(id, this.api.workspace.asRelativePath(uri, false), uri);
      this.controller.items.add(item);
    }
    this.data.set(item, { kind: 'file', path: uri.fsPath });
    const problems = fileLevelProblems(file);
    item.error = problems.length > 0 ? problems.map(problemText).join('\n') : undefined;
    item.children.replace(document.entries.map((e) => this.entryItem(uri, file, lines, e)));
  }

  delete(uri: vscode.Uri): void {
    this.files.delete(uri.fsPath);
    this.controller.items.delete(uri.toString());
  }

  loaded(path: string): LoadedFile | undefined {
    return this.files.get(path);
  }

  /** Every file item, for "run all". */
  fileItems(): vscode.TestItem[] {
    const out: vscode.TestItem[] = [];
    this.controller.items.forEach((i) => out.push(i));
    return out;
  }

  fileItem(path: string): vscode.TestItem | undefined {
    return this.fileItems().find((i) => this.data.get(i)?.path === path);
  }

  /** The item of a test or suite (by key) in a file. */
  itemFor(path: string, key: TestKey): vscode.TestItem | undefined {
    const file = this.fileItem(path);
    let found: vscode.TestItem | undefined;
    file?.children.forEach((c) => {
      const d = this.data.get(c);
      if (d && d.kind !== 'file' && d.key === key && !found) found = c;
    });
    return found;
  }

  private entryItem(uri: vscode.Uri, file: LoadedFile, lines: LineIndex, entry: FileEntry): vscode.TestItem {
    const item = this.controller.createTestItem(`${uri.toString()}#${entry.key}`, entry.label, uri);
    item.range = this.range(lines, { start: entry.head.start, end: entry.range.end });
    if (entry.kind === 'broken') {
      const message = entry.problems.length > 0 ? entry.problems.map(problemText).join('\n') : 'this document does not load as a test';
      item.error = message;
      this.data.set(item, { kind: 'broken', path: uri.fsPath, key: entry.key, message });
      return item;
    }
    if (entry.kind === 'test') {
      this.data.set(item, { kind: 'test', path: uri.fsPath, key: entry.key });
      item.children.replace(
        entry.test.specs.map((spec, specIndex) => {
          const label = spec.name?.value || spec.selector.value || `spec ${specIndex + 1}`;
          const child = this.controller.createTestItem(`${item.id}/spec/${specIndex}`, label, uri);
          child.range = this.range(lines, spec.range);
          if (spec.name) child.description = spec.selector.value;
          this.data.set(child, { kind: 'spec', path: uri.fsPath, key: entry.key, specIndex });
          return child;
        }),
      );
      return item;
    }
    this.data.set(item, { kind: 'suite', path: uri.fsPath, key: entry.key });
    item.children.replace(
      entry.suite.steps.map((step, stepIndex) => {
        const target = this.resolveStep(file.fileName, step);
        // The step's item stays in the suite file (its gutter icon is on the step line); results of its test land in the
        // test's own file too, through the store.
        const child = this.controller.createTestItem(`${item.id}/step/${stepIndex}`, target?.label ?? step.value, uri);
        child.range = this.range(lines, step.range);
        child.description = step.value;
        this.data.set(child, { kind: 'step', path: uri.fsPath, key: entry.key, stepIndex, ...(target ? { target } : {}) });
        return child;
      }),
    );
    return item;
  }

  /** Like the runner: a path relative to the suite file, else a test id among the known test files. */
  resolveStep(suitePath: string, step: SourceString): StepTarget | undefined {
    const path = resolve(dirname(suitePath), step.value);
    const byPath = this.files.get(path) ?? readIfExists(path);
    if (byPath) {
      const test = entriesOf(byPath).find((e) => e.kind === 'test');
      if (test) return { path, key: test.key, label: test.label };
    }
    for (const [p, f] of this.files) {
      const test = entriesOf(f).find((e) => e.kind === 'test' && e.key === step.value);
      if (test) return { path: p, key: test.key, label: test.label };
    }
    return undefined;
  }

  private range(lines: LineIndex, r: Range): vscode.Range {
    const s = lines.at(r.start);
    const e = lines.at(r.end);
    return new this.api.Range(s.line, s.character, e.line, e.character);
  }
}

function readIfExists(path: string): LoadedFile | undefined {
  if (!existsSync(path)) return undefined;
  try {
    return loadFile(readFileSync(path, 'utf8'), path);
  } catch {
    return undefined;
  }
}

function isExcluded(uri: vscode.Uri): boolean {
  return uri.scheme !== 'file' || /[\\/]node_modules[\\/]/.test(uri.fsPath);
}
