// Click-to-assert from the trace document: `tracelens.assertOnSpan` asks for a selector that selects the span, an
// attribute and the assertion (evaluated against the span as it is typed), then adds it to the test file as one
// undoable WorkspaceEdit and re-checks the test; or, from the attribute step, adds an output instead. A CodeLens on
// every span of the trace document runs it for that span. Checks and writes are the trace panel's: one service.
import type * as vscode from 'vscode';
import { COMMANDS } from '../command-ids';
import { assertionFor, describeChoice, isAssertableKey, outputNameFor, selectorChoices } from '../../core/selector/index';
import type { TestDef } from '../../core/testfile/index';
import type { TestDocuments } from '../editor/test-documents';
import type { Span, Trace } from '../../core/trace/model';
import { asSentence, OUTPUT_NAME, type AddOutcome, type AssertService, type SpanContext, type SpanRef } from '../click-to-assert/assert-service';
import { findTest } from '../results/file-entries';
import { readSettings } from '../settings';
import { parseTraceUri, TRACE_SCHEME } from './trace-document';
import type { VscodeApi } from '../editor/vscode-api';
import { missingTest } from '../editor/write-to-test';

/** The command's argument (CodeLens and panel arguments are serialised, so the URI is a string). */
export interface AssertOnSpanArgs {
  uri: string;
  spanId: string;
}

// ---------------------------------------------------------------------------------------------------------------
// Spans in the trace document's text (no vscode).

/** A span object of the pretty OTLP JSON: `resourceSpans[].scopeSpans[].spans[]` element. */
export interface SpanBlock {
  spanId: string;
  /** Offsets of the span object's `{` and just after its `}`. */
  start: number;
  end: number;
  /** 0-based line of the span's own `"spanId"` key (not a link's). */
  spanIdLine: number;
  /** 0-based line of its `"name"` key, when present. */
  nameLine?: number;
}

interface Frame {
  kind: '{' | '[';
  /** The key this container is the value of (objects' members only). */
  key: string | undefined;
  start: number;
  block?: Partial<SpanBlock>;
}

/**
 * The span objects of an OTLP JSON text in one pass: objects that are elements of a `"spans"` array. Tolerant of
 * any JSON layout; text that is not JSON (the "no trace yet" comment) yields nothing.
 */
export function spanBlocks(text: string): SpanBlock[] {
  const out: SpanBlock[] = [];
  const stack: Frame[] = [];
  let line = 0;
  let pendingKey: string | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) {
      line++;
      continue;
    }
    if (c === 34 /* " */) {
      const startLine = line;
      let j = i + 1;
      let value: string;
      let simple = true;
      for (; j < text.length; j++) {
        const d = text.charCodeAt(j);
        if (d === 92 /* \ */) {
          simple = false;
          j++;
          continue;
        }
        if (d === 34) break;
        if (d === 10) line++;
      }
      const raw = text.slice(i, j + 1);
      if (simple) value = raw.slice(1, -1);
      else {
        try {
          value = JSON.parse(raw) as string;
        } catch {
          value = raw.slice(1, -1);
        }
      }
      i = j;
      let k = j + 1;
      while (k < text.length && (text[k] === ' ' || text[k] === '\t' || text[k] === '\r')) k++;
      const top = stack[stack.length - 1];
      if (text[k] === ':' && top?.kind === '{') {
        pendingKey = value;
        if (top.block) {
          if (value === 'spanId') top.block.spanIdLine = startLine;
          else if (value === 'name') top.block.nameLine = startLine;
        }
      } else if (top?.kind === '{' && top.block && pendingKey === 'spanId') {
        top.block.spanId = value;
      }
      continue;
    }
    if (c === 123 /* { */ || c === 91 /* [ */) {
      const parent = stack[stack.length - 1];
      const frame: Frame = { kind: c === 123 ? '{' : '[', key: parent?.kind === '{' ? pendingKey : undefined, start: i };
      if (frame.kind === '{' && parent?.kind === '[' && parent.key === 'spans') frame.block = { start: i };
      stack.push(frame);
      pendingKey = undefined;
      continue;
    }
    if (c === 125 /* } */ || c === 93 /* ] */) {
      const frame = stack.pop();
      const b = frame?.block;
      if (b && b.spanId !== undefined && b.spanIdLine !== undefined) {
        out.push({ spanId: b.spanId, start: b.start!, end: i + 1, spanIdLine: b.spanIdLine, ...(b.nameLine !== undefined ? { nameLine: b.nameLine } : {}) });
      }
      pendingKey = undefined;
      continue;
    }
    if (c === 44 /* , */) pendingKey = undefined;
  }
  return out;
}

/** The span whose JSON block contains `offset`. */
export function spanAt(blocks: readonly SpanBlock[], offset: number): SpanBlock | undefined {
  return blocks.find((b) => offset >= b.start && offset <= b.end);
}

/** Blocks by document, recomputed only when the document's version changes. */
class BlockCache {
  private readonly byUri = new Map<string, { version: number; blocks: SpanBlock[] }>();
  get(document: vscode.TextDocument): SpanBlock[] {
    const key = document.uri.toString();
    const cached = this.byUri.get(key);
    if (cached && cached.version === document.version) return cached.blocks;
    const blocks = spanBlocks(document.getText());
    this.byUri.set(key, { version: document.version, blocks });
    return blocks;
  }
  forget(document: vscode.TextDocument): void {
    this.byUri.delete(document.uri.toString());
  }
}

// ---------------------------------------------------------------------------------------------------------------
// The CodeLens.

class SpanLenses implements vscode.CodeLensProvider {
  constructor(
    private readonly api: VscodeApi,
    private readonly blocks: BlockCache,
  ) {}

  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    if (document.uri.scheme !== TRACE_SCHEME || !readSettings(this.api.workspace).codeLens) return [];
    const uri = document.uri.toString();
    return this.blocks.get(document).map((b) => {
      const args: AssertOnSpanArgs = { uri, spanId: b.spanId };
      return new this.api.CodeLens(new this.api.Range(b.spanIdLine, 0, b.spanIdLine, 0), {
        title: '$(add) Assert on span…',
        command: COMMANDS.assertOnSpan,
        arguments: [args],
      });
    });
  }
}

// ---------------------------------------------------------------------------------------------------------------
// The command: the quick pick's steps, with checks and writes by the click-to-assert service.

interface SelectorItem extends vscode.QuickPickItem {
  selector: string;
}

interface AttributeItem extends vscode.QuickPickItem {
  key?: string;
  output?: true;
}

export function registerAssertOnSpan(api: VscodeApi, service: AssertService, documents: TestDocuments): vscode.Disposable[] {
  const blocks = new BlockCache();
  const lenses = new SpanLenses(api, blocks);
  return [
    api.languages.registerCodeLensProvider({ scheme: TRACE_SCHEME }, lenses),
    api.workspace.onDidCloseTextDocument((d) => blocks.forget(d)),
    api.commands.registerCommand(COMMANDS.assertOnSpan, (args?: AssertOnSpanArgs) => assertOnSpan(api, service, documents, blocks, args)),
  ];
}

async function assertOnSpan(
  api: VscodeApi,
  service: AssertService,
  documents: TestDocuments,
  blocks: BlockCache,
  args: AssertOnSpanArgs | undefined,
): Promise<void> {
  const ref = spanRef(api, blocks, args);
  const target = typeof ref === 'string' ? ref : await service.span(ref);
  if (typeof target === 'string') {
    await api.window.showInformationMessage(asSentence(target));
    return;
  }
  const { span, trace } = target;
  const testUri = api.Uri.file(target.path);
  const testDocument = await api.workspace.openTextDocument(testUri);
  const file = documents.of(testDocument)?.file;
  const test = file && findTest(file, target.key)?.test;
  if (!test) {
    const path = api.workspace.asRelativePath(testUri, false);
    await api.window.showErrorMessage(`Tracelens: ${file ? missingTest(file, target.key, path) : `${path} is not a Tracelens test file any more`}.`);
    return;
  }
  const title = `Assert on span "${span.name}"`;

  const selectorItem = await api.window.showQuickPick(selectorItems(trace, span, test), {
    title,
    placeHolder: 'Select the span with…',
    matchOnDescription: true,
  });
  if (!selectorItem) return;
  const { selector } = selectorItem;
  const request = { path: target.path, key: target.key, spanId: span.id, selector };

  const attribute = await api.window.showQuickPick(attributeItems(span), { title, placeHolder: 'Assert on attribute…', matchOnDescription: true });
  if (!attribute) return;
  if (attribute.output) {
    await outputFlow(api, service, target, request, title);
    return;
  }
  const proposed = assertionFor(span, attribute.key!);
  const checkSpan = await service.checker(target);
  const check = (text: string) => checkSpan(selector, text);
  const assertion = await api.window.showInputBox({
    title,
    value: proposed,
    prompt: `${check(proposed).message} — change the comparator or value if you like; Enter adds it to the spec for ${selector}`,
    validateInput: (text) => {
      const r = check(text);
      return {
        message: r.message,
        severity: r.ok ? (r.passes ? api.InputBoxValidationSeverity.Info : api.InputBoxValidationSeverity.Warning) : api.InputBoxValidationSeverity.Error,
      };
    },
  });
  if (assertion === undefined || !check(assertion).ok) return;
  await tell(api, await service.addAssertion({ ...request, assertion }));
}

async function outputFlow(api: VscodeApi, service: AssertService, target: SpanContext, request: SpanRef & { selector: string }, title: string): Promise<void> {
  const items = attributeItems(target.span, false).map((i) => ({ ...i, detail: `value: attr:${i.key}` }));
  const attribute = await api.window.showQuickPick(items, {
    title: `${title}: add an output`,
    placeHolder: 'Output the value of attribute…',
    matchOnDescription: true,
  });
  if (!attribute?.key) return;
  const name = await api.window.showInputBox({
    title: `${title}: add an output`,
    value: outputNameFor(attribute.key),
    prompt: `Name of the output: later steps read it as var:<name> (now ${JSON.stringify(attribute.description ?? '')})`,
    validateInput: (text) => (OUTPUT_NAME.test(text.trim()) ? undefined : 'letters, digits and _, not starting with a digit'),
  });
  if (name === undefined || name.trim() === '') return;
  await tell(api, await service.addOutput({ ...request, name, value: `attr:${attribute.key}` }));
}

/** The span the command is about: its arguments (CodeLens, panel), else the one under the cursor of a trace document. */
function spanRef(api: VscodeApi, blocks: BlockCache, args: AssertOnSpanArgs | undefined): SpanRef | string {
  let uri: vscode.Uri | undefined;
  let spanId: string | undefined;
  if (args?.uri && args.spanId) {
    uri = api.Uri.parse(args.uri);
    spanId = args.spanId;
  } else {
    const editor = api.window.activeTextEditor;
    if (!editor || editor.document.uri.scheme !== TRACE_SCHEME) return "Open a test's trace (Tracelens: Show Trace) and put the cursor in a span first.";
    uri = editor.document.uri;
    spanId = spanAt(blocks.get(editor.document), editor.document.offsetAt(editor.selection.active))?.spanId;
    if (!spanId) return 'Put the cursor inside a span of the trace (between its braces) first.';
  }
  const test = parseTraceUri(uri);
  if (!test) return 'This trace is not there any more: run the test again.';
  return { path: test.path, key: test.key, spanId };
}

/** Generated candidates first, then the test's own specs whose selectors select this span. */
function selectorItems(trace: Trace, span: Span, test: TestDef): SelectorItem[] {
  const specs = test.specs.map((s) => ({ selector: s.selector.value, ...(s.name ? { name: s.name.value } : {}) }));
  return selectorChoices(trace, span, specs).map((c) => ({ label: c.selector, description: `${c.strategy} · ${describeChoice(c)}`, selector: c.selector }));
}

const MAX_SHOWN_VALUE = 120;

function attributeItems(span: Span, withOutput = true): AttributeItem[] {
  const items: AttributeItem[] = [];
  if (withOutput)
    items.push({ label: '$(symbol-variable) Add as output…', detail: 'Save an attribute of this span as an output of the test (var:<name>)', output: true });
  for (const [key, value] of span.flat) {
    if (!isAssertableKey(key)) continue;
    const shown = value.length > MAX_SHOWN_VALUE ? `${value.slice(0, MAX_SHOWN_VALUE - 1)}…` : value;
    items.push({ label: key, description: shown, detail: assertionFor(span, key), key });
  }
  return items;
}

/** What came of the write: an error, or why nothing had to change. */
async function tell(api: VscodeApi, outcome: AddOutcome): Promise<void> {
  if (!outcome.ok) await api.window.showErrorMessage(`Tracelens: ${outcome.error}`);
  else if (outcome.note) await api.window.showInformationMessage(`Tracelens: ${outcome.note}`);
}
