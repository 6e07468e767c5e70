// The Traces view: every trace the embedded OTLP receiver holds, newest first, live, with a filter; a click opens it
// read-only in the trace panel; each one can be copied (its id), saved (OTLP JSON) or made into a test. Opening the
// view starts the receiver in a trusted workspace (so traffic has somewhere to go), never in Restricted Mode.
import { dirname, relative, sep } from 'node:path';
import type * as vscode from 'vscode';
import type { GeneratedTest } from '../../core/generate/index';
import { redactTrace } from '../../core/redact/results';
import { buildTrace } from '../../core/trace/build';
import type { RawSpan, Trace } from '../../core/trace/model';
import { slug } from '../../core/generate/slug';
import { redactorFor } from '../../run/variables';
import { COMMANDS } from '../command-ids';
import type { VscodeApi } from '../editor/vscode-api';
import type { TracePanels } from '../panel/trace-panels';
import type { EmbeddedReceiver } from '../runtime/embedded-receiver';
import type { RunEnvironment } from '../runtime/environment';
import { loadRunBundle } from '../runtime/load-run';
import { SETTINGS_SECTION } from '../settings';
import { writeNewTest } from './new-test-file';
import type { HeldTrace, TraceFilter, TraceLabel, TraceList, TraceSummary } from '../../run/received-traces';

export const TRACES_VIEW = 'tracelens.traces';
/** Context key: the view has a filter (its title bar then offers to clear it). */
const FILTERED = 'tracelens.traces.filtered';
/** Ages ("12 s ago") are refreshed this often while the view is visible. */
const AGE_REFRESH_MS = 5_000;
const DEFAULT_MAX_SHOWN = 200;
const NO_FILTER: TraceFilter = { text: '', words: [], services: [], errorsOnly: false };

export interface TracesDeps {
  receiver: EmbeddedReceiver;
  panels: TracePanels;
  env: Pick<RunEnvironment, 'variables' | 'log'>;
}

/** One row of the view; commands on it get it as their argument. */
interface ListedTrace {
  summary: TraceSummary;
  label: TraceLabel;
}

/** Lists what the running receiver holds; the listing code comes with the run bundle, loaded by then. */
class TracesProvider implements vscode.TreeDataProvider<ListedTrace> {
  private readonly changed: vscode.EventEmitter<void>;
  readonly onDidChangeTreeData: vscode.Event<void>;
  private list: TraceList | undefined;
  filter: TraceFilter = NO_FILTER;
  view: vscode.TreeView<ListedTrace> | undefined;

  constructor(
    private readonly api: VscodeApi,
    private readonly receiver: EmbeddedReceiver,
  ) {
    this.changed = new api.EventEmitter<void>();
    this.onDidChangeTreeData = this.changed.event;
  }

  refresh(): void {
    this.changed.fire();
  }

  /** The traces the running receiver holds, oldest first; none when it is not running. */
  held(): HeldTrace[] {
    const state = this.receiver.state;
    if (state.kind !== 'on') return [];
    const store = state.receiver.store;
    return store.traceIds().flatMap((id) => store.get(id) ?? []);
  }

  spansOf(traceId: string): RawSpan[] | undefined {
    const state = this.receiver.state;
    return state.kind === 'on' ? state.receiver.store.get(traceId)?.spans : undefined;
  }

  async getChildren(element?: ListedTrace): Promise<ListedTrace[]> {
    if (element) return [];
    const held = this.held();
    if (held.length === 0) {
      // The welcome text says how to send traces.
      if (this.view) this.view.message = undefined;
      return [];
    }
    const run = await loadRunBundle();
    this.list ??= new run.TraceList();
    const max = this.api.workspace.getConfiguration(SETTINGS_SECTION).get<number>('traces.maxShown', DEFAULT_MAX_SHOWN);
    const listing = this.list.list(held, this.filter, Number.isSafeInteger(max) && max > 0 ? max : DEFAULT_MAX_SHOWN);
    if (this.view) this.view.message = run.listingMessage(listing, this.filter);
    const now = Date.now();
    return listing.shown.map((summary) => ({ summary, label: run.traceLabel(summary, now) }));
  }

  getTreeItem({ summary, label }: ListedTrace): vscode.TreeItem {
    const { api } = this;
    const item = new api.TreeItem(label.label, api.TreeItemCollapsibleState.None);
    item.id = summary.traceId;
    item.description = label.description;
    item.tooltip = label.tooltip;
    item.contextValue = 'trace';
    item.iconPath = summary.error ? new api.ThemeIcon('error', new api.ThemeColor('errorForeground')) : new api.ThemeIcon('pulse');
    item.accessibilityInformation = { label: `${label.label}${summary.error ? ', has errors' : ''}, ${label.description}` };
    item.command = { command: COMMANDS.openReceivedTrace, title: 'Open Trace', arguments: [{ summary, label }] };
    return item;
  }

  dispose(): void {
    this.changed.dispose();
  }
}

export function registerTracesView(api: VscodeApi, context: Pick<vscode.ExtensionContext, 'subscriptions'>, deps: TracesDeps): void {
  const provider = new TracesProvider(api, deps.receiver);
  const view = api.window.createTreeView(TRACES_VIEW, { treeDataProvider: provider, showCollapseAll: false });
  provider.view = view;
  let ageTimer: ReturnType<typeof setInterval> | undefined;
  const trusted = () => api.workspace.isTrusted;
  const startIfUseful = () => {
    // A start failure is in the receiver's notification and the log; Restricted Mode never listens.
    if (view.visible && trusted() && deps.receiver.state.kind === 'off') void deps.receiver.start().catch(() => undefined);
  };
  const visibility = () => {
    clearInterval(ageTimer);
    ageTimer = undefined;
    if (!view.visible) return;
    startIfUseful();
    provider.refresh();
    ageTimer = setInterval(() => provider.refresh(), AGE_REFRESH_MS);
  };
  const setFilter = async (filter: TraceFilter) => {
    provider.filter = filter;
    await api.commands.executeCommand('setContext', FILTERED, filter.text !== '');
    provider.refresh();
  };

  /** The trace's spans as shown and written: secrets of the active variables masked, the trigger span left out. */
  /** The trace's spans as received, or undefined (said, and the list refreshed) when the receiver let it go. */
  const held = async (summary: TraceSummary): Promise<RawSpan[] | undefined> => {
    const spans = provider.spansOf(summary.traceId);
    if (spans) return spans;
    await api.window.showInformationMessage(`Tracelens: the receiver no longer holds trace ${summary.traceId}.`);
    provider.refresh();
    return undefined;
  };

  const masked = async (summary: TraceSummary): Promise<{ trace: Trace; spans: RawSpan[] } | undefined> => {
    const spans = await held(summary);
    if (!spans) return undefined;
    const trace = redactTrace(buildTrace(spans), redactorFor(await deps.env.variables({ ask: false })));
    const received = new Set(spans.map((s) => s.id));
    return { trace, spans: trace.spans.filter((s) => received.has(s.id)) };
  };

  const createTest = async (summary: TraceSummary | undefined): Promise<void> => {
    const spans = summary && (await held(summary));
    if (!summary || !spans) return;
    // From the spans as received: generate leaves credentials out of the file as variables.
    const { draftTest, writeTest } = await loadRunBundle();
    const draft = draftTest(spans);
    let specs = draft.specs;
    if (specs.length > 0) {
      const picked = await api.window.showQuickPick(
        specs.map((spec) => ({ label: spec.name, description: spec.selector, detail: spec.assertions.join('   '), picked: true, spec })),
        { title: 'Create Test from Trace', placeHolder: 'The specs to write (all picked; untick those that do not matter)', canPickMany: true },
      );
      if (!picked) return;
      specs = picked.map((p) => p.spec);
    }
    // The VariableSet's plain values: a recorded URL on one of their bases is written with that variable.
    const variables = await deps.env.variables({ ask: false });
    const plain = new Map([...variables.values].filter(([name]) => !variables.secrets.has(name)));
    let proto: vscode.Uri | undefined;
    if (draft.trigger.type === 'grpc') {
      const picked = await pickProto(api);
      if (picked === null) return;
      proto = picked;
    }
    let generated: GeneratedTest | undefined;
    const uri = await writeNewTest(
      api,
      (file) => {
        const protobufFile = proto && relative(dirname(file.fsPath), proto.fsPath).split(sep).join('/');
        generated = writeTest(draft, specs, { variables: plain, ...(protobufFile ? { protobufFile } : {}) });
        return generated.text;
      },
      slug(draft.title),
      'Create Test from Trace',
    );
    if (!uri || !generated) return;
    deps.env.log(`Created ${api.workspace.asRelativePath(uri, false)} from trace ${summary.traceId}`);
    if (generated.variables.length > 0) {
      void api.window.showInformationMessage(
        `Tracelens: the test needs ${generated.variables.join(', ')} (left out of the file): set them in a VariableSet before it can pass.`,
      );
    }
    await api.commands.executeCommand(COMMANDS.runFile, uri);
  };

  context.subscriptions.push(
    provider,
    view,
    view.onDidChangeVisibility(visibility),
    deps.receiver.onDidChange(() => {
      if (view.visible) provider.refresh();
    }),
    api.workspace.onDidGrantWorkspaceTrust(startIfUseful),
    api.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration(`${SETTINGS_SECTION}.traces`)) provider.refresh();
    }),
    { dispose: () => clearInterval(ageTimer) },
    api.commands.registerCommand(COMMANDS.filterTraces, async () => {
      const services = [...new Set(provider.held().flatMap((t) => t.spans.map((s) => s.resource.get('service.name') ?? '')))].filter(Boolean).sort();
      const { parseTraceFilter } = await loadRunBundle();
      const text = await api.window.showInputBox({
        title: 'Filter Traces',
        prompt: `Words of the root span's name (or a trace id), service:<name>, is:error${services.length ? `. Services: ${services.join(', ')}` : ''}`,
        placeHolder: 'checkout service:api is:error',
        value: provider.filter.text,
        validateInput: (value) => {
          const parsed = parseTraceFilter(value);
          return parsed.ok ? undefined : parsed.error;
        },
      });
      if (text === undefined) return;
      const parsed = parseTraceFilter(text);
      if (parsed.ok) await setFilter(parsed.value);
    }),
    api.commands.registerCommand(COMMANDS.clearTracesFilter, () => setFilter(NO_FILTER)),
    api.commands.registerCommand(COMMANDS.openReceivedTrace, async (row?: ListedTrace) => {
      const summary = row?.summary;
      const shown = summary && (await masked(summary));
      if (shown) deps.panels.browse(shown.trace, summary.name, () => createTest(summary));
    }),
    api.commands.registerCommand(COMMANDS.copyTraceId, async (row?: ListedTrace) => {
      if (!row) return;
      await api.env.clipboard.writeText(row.summary.traceId);
      api.window.setStatusBarMessage(`Copied trace id ${row.summary.traceId}`, 3000);
    }),
    api.commands.registerCommand(COMMANDS.saveTrace, async (row?: ListedTrace) => {
      const summary = row?.summary;
      if (!summary) return;
      const folder = api.workspace.workspaceFolders?.[0]?.uri;
      const target = await api.window.showSaveDialog({
        title: 'Save Trace',
        filters: { 'OTLP JSON': ['json'], 'OTLP protobuf (compact, for large traces)': ['binpb'] },
        ...(folder ? { defaultUri: api.Uri.joinPath(folder, `${slug(summary.name, 'trace')}.otlp.json`) } : {}),
      });
      const shown = target && (await masked(summary));
      if (!target || !shown) return;
      try {
        await api.workspace.fs.createDirectory(api.Uri.file(dirname(target.fsPath)));
        await (await loadRunBundle()).writeTraceFile(target.fsPath, shown.spans);
      } catch (e) {
        await api.window.showErrorMessage(`Tracelens: could not save the trace: ${(e as Error).message}`);
        return;
      }
      void api.window.showInformationMessage(
        `Tracelens: saved trace ${summary.traceId} (${shown.spans.length} spans) to ${api.workspace.asRelativePath(target, false)}.`,
      );
    }),
    api.commands.registerCommand(COMMANDS.createTestFromTrace, (row?: ListedTrace) => createTest((row ?? view.selection[0])?.summary)),
  );
  visibility();
}

type ProtoItem = (vscode.QuickPickItem & { pick: 'file'; uri: vscode.Uri }) | (vscode.QuickPickItem & { pick: 'browse' | 'none' });

/**
 * A gRPC trigger's .proto, which no trace holds: one of the workspace's, or one chosen on disk. Undefined leaves
 * `protobufFile` empty (with a comment saying so); null is a cancel.
 */
async function pickProto(api: VscodeApi): Promise<vscode.Uri | undefined | null> {
  const found = await api.workspace.findFiles('**/*.proto', '**/node_modules/**', 200);
  const items: ProtoItem[] = [
    ...found.map((uri): ProtoItem => ({ pick: 'file', uri, label: api.workspace.asRelativePath(uri, false) })),
    { pick: 'browse', label: 'Choose a .proto file…' },
    { pick: 'none', label: 'Leave protobufFile empty', description: 'set it in the file later' },
  ];
  const picked = await api.window.showQuickPick(items, { title: 'Create Test from Trace', placeHolder: "The service's .proto: a trace does not hold it" });
  if (!picked) return null;
  if (picked.pick === 'file') return picked.uri;
  if (picked.pick === 'none') return undefined;
  const chosen = await api.window.showOpenDialog({ title: "The service's .proto", canSelectMany: false, filters: { Protobuf: ['proto'] } });
  return chosen?.[0] ?? null;
}
