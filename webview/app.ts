// The trace panel: the header (test, status, Re-run), the selector bar and search, the graph or the timeline, and
// the side with failures, trace problems, the analyzer, span details and the assert form. Talks to the extension only through src/protocol.ts,
// and checks every message it receives. A trace is laid out once: results on it (a re-check) are laid on the model
// and views there are, keeping the layout, selection, view and search.
import type { RuleResult } from '../src/core/analyzer/result';
import type { BrowseMessage, ComparisonMessage, HostMessage, PanelState, ResultsMessage, RunProgress, WebviewMessage } from '../src/protocol';
import { checkHostMessage, checkPanelState } from '../src/protocol';
import { prepareSelectorCandidates } from '../src/core/selector/index';
import type { Trace } from '../src/core/trace/model';
import { analyzerSection, markActiveRule } from './analyzer';
import { SpanDetails } from './details';
import { custom, el } from './dom';
import { failureList } from './failures';
import { FilterBar } from './filter-bar';
import { formatMs, traceModel, withResults, type PanelModel, type TraceModel } from './model';
import { Sash, type SashAxis } from './sash';
import { comparisonSection, differenceSpans, RunPicker } from './run-history';
import { readPalette, watchTheme } from './theme';
import { traceProblemList } from './trace-problems';
import { GraphView } from './views/graph/graph-view';
import type { SpanView, SpanViewHost } from './views/span-view';
import { TimelineView } from './views/timeline/timeline-view';

type ViewName = PanelState['view'];

/** State writes wait for zooming and scrolling to pause. */
const SAVE_DELAY_MS = 250;
/** What dragging the side's divider leaves to the side and to the view at least, in pixels. */
const SIDE_MIN = { x: 240, y: 80 };
const VIEW_MIN = { x: 200, y: 80 };
const SIDE_MAX_SHARE = 0.65;
/** The layout that puts the side under the view (media/panel.css). */
const STACKED = '(max-width: 760px)';

export class PanelApp {
  private state: PanelState;
  /** The trace the host sent last; `model` is it with its results. */
  private base: TraceModel | undefined;
  /** `base` came after the results on screen: the next results show it anew. */
  private fresh = false;
  private model: PanelModel | undefined;
  private selected: number | undefined;
  /** Views that have been given the current model (the hidden one gets it when first shown). */
  private readonly current = new Set<ViewName>();
  private readonly views: { graph: GraphView; timeline: TimelineView };
  private readonly filter: FilterBar;
  private readonly details: SpanDetails;
  private readonly title = el('h1', { className: 'test-title', text: 'Trace' });
  private readonly status = el('span', { className: 'test-status' });
  private readonly summary = el('span', { className: 'test-summary' });
  private readonly rerun = custom('vscode-button', { className: 'rerun', text: 'Run again', attrs: { secondary: '' } });
  /** A trace with no test (from the Traces view) offers this instead of Run again. */
  private readonly createTest = custom('vscode-button', { className: 'create-test', text: 'Create Test from Trace', attrs: { hidden: '' } });
  /** The shown run's status, for the badge when a run in progress ends without a new result. */
  private lastStatus = '';
  private running = false;
  private readonly notice = el('div', { className: 'notice', attrs: { role: 'status', hidden: '' } });
  /** Where a run in progress is: spans so far, what it still waits for; the time left counts down. */
  private readonly progressText = el('span', { className: 'run-progress-text' });
  private readonly progressLeft = el('span', { className: 'run-progress-left', attrs: { 'aria-hidden': 'true' } });
  private readonly progress = el('div', { className: 'run-progress', attrs: { role: 'status', hidden: '' } }, this.progressText, this.progressLeft);
  private progressTimer: ReturnType<typeof setInterval> | undefined;
  private readonly viewButtons: Record<ViewName, HTMLElement>;
  private readonly criticalPath = custom('vscode-checkbox', { className: 'critical-path-toggle', attrs: { label: 'Critical path' } });
  private readonly viewArea = el('div', { className: 'view-area' });
  private readonly side = el('aside', { className: 'side', attrs: { 'aria-label': 'Span' } });
  private readonly failures = el('div', { className: 'failures-slot' });
  private analysis: HTMLElement | undefined;
  private readonly runPicker = new RunPicker({ post: (m) => this.post(m), stopComparing: () => this.clearComparison() });
  /** What changed since the last pass, above the failures while the page compares. */
  private comparison: HTMLElement | undefined;
  private readonly empty = el('div', { className: 'empty', attrs: { hidden: '' } });
  private readonly body = el('main', { className: 'panel-body' });
  private saveTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly vscode: VsCodeApi,
    root: HTMLElement,
  ) {
    this.state = checkPanelState(vscode.getState());
    const viewHost: SpanViewHost = {
      select: (index) => this.select(index, false),
      viewStateChanged: () => this.saveSoon(),
    };
    this.views = { graph: new GraphView(viewHost), timeline: new TimelineView(viewHost) };
    this.filter = new FilterBar({
      changed: () => this.applyHighlight(),
      goTo: (index) => this.select(index, true),
      selected: () => this.selected,
      unpinned: () => this.setActiveRule(undefined),
    });
    this.details = new SpanDetails({ post: (m) => this.post(m), goTo: (index) => this.select(index, true), showSelector: (s) => this.filter.showSelector(s) });

    // A disabled vscode-button still takes a scripted click (and a synthetic one from the keyboard).
    this.rerun.addEventListener('click', () => {
      if (!this.running) this.post({ type: 'rerun' });
    });
    this.createTest.addEventListener('click', () => this.post({ type: 'createTest' }));
    this.viewButtons = {
      graph: custom('vscode-button', { className: 'view-graph', text: 'Graph', attrs: { role: 'tab' } }),
      timeline: custom('vscode-button', { className: 'view-timeline', text: 'Timeline', attrs: { role: 'tab' } }),
    };
    for (const name of ['graph', 'timeline'] as const) this.viewButtons[name].addEventListener('click', () => this.showView(name));
    this.criticalPath.addEventListener('change', () => {
      this.state.criticalPath = (this.criticalPath as unknown as { checked: boolean }).checked;
      this.views.timeline.setCriticalPath(this.state.criticalPath);
      this.saveSoon();
    });
    for (const view of Object.values(this.views)) this.viewArea.append(view.element);
    this.side.append(this.failures, this.details.element);
    root.append(
      el(
        'header',
        { className: 'panel-header' },
        el('div', { className: 'title-line' }, this.status, this.title, this.summary, this.rerun, this.createTest),
        this.runPicker.element,
        el(
          'div',
          { className: 'view-switch', attrs: { role: 'tablist', 'aria-label': 'View' } },
          this.viewButtons.graph,
          this.viewButtons.timeline,
          this.criticalPath,
        ),
        this.progress,
      ),
      this.filter.element,
      this.notice,
      this.empty,
      this.body,
    );
    const sash = this.sideSash();
    this.body.append(this.viewArea, sash.element, this.side);
    this.applySideSize();
    if (this.state.labelShare !== undefined) this.views.timeline.setLabelShare(this.state.labelShare);
    matchMedia(STACKED).addEventListener('change', () => sash.update());
    this.filter.setTexts(this.state.selector, this.state.search);
    (this.criticalPath as unknown as { checked: boolean }).checked = this.state.criticalPath;
    this.showView(this.state.view, false);

    const palette = readPalette();
    for (const view of Object.values(this.views)) view.setPalette(palette);
    watchTheme((p) => {
      for (const view of Object.values(this.views)) view.setPalette(p);
    });
    window.addEventListener('message', (event: MessageEvent) => this.receive(event.data));
    window.addEventListener('keydown', (event) => this.shortcut(event));
    this.post({ type: 'ready' });
  }

  private receive(data: unknown): void {
    performance.mark('tracelens:received');
    const checked = checkHostMessage(data);
    performance.mark('tracelens:checked');
    if (!checked.ok) {
      this.showNotice(`Ignored a malformed message from the extension: ${checked.error}`);
      console.error(`tracelens: rejected message: ${checked.error}`);
      return;
    }
    this.handle(checked.value);
  }

  private handle(message: HostMessage): void {
    switch (message.type) {
      case 'trace':
        this.base = traceModel(message.trace);
        this.fresh = true;
        return;
      case 'results':
        if (this.base?.trace.traceId !== message.traceId) {
          console.error(`tracelens: ignored results for trace ${message.traceId}, which the panel does not hold`);
          return;
        }
        if (this.fresh) this.show(message);
        else this.refresh(message);
        return;
      case 'browse':
        if (this.base?.trace.traceId !== message.traceId) {
          console.error(`tracelens: ignored trace ${message.traceId}, which the panel does not hold`);
          return;
        }
        this.show(browseResults(message));
        return;
      case 'empty':
        this.base = undefined;
        this.showEmpty(message.message, message.test?.name);
        if (message.test && (message.test.file !== this.state.test?.file || message.test.key !== this.state.test.key)) delete this.state.analyzerRule;
        if (message.test) this.state.test = { file: message.test.file, key: message.test.key };
        this.saveSoon();
        return;
      case 'focus': {
        const span = this.model?.trace.byId.get(message.spanId);
        if (span) this.select(span.index, true);
        return;
      }
      case 'written':
        this.details.form.written(message);
        return;
      case 'running':
        this.setRunning(message.running, message.progress);
        return;
      case 'runs':
        this.runPicker.setRuns(message);
        if (!message.comparing) this.clearComparison();
        return;
      case 'comparison':
        this.showComparison(message);
        return;
    }
  }

  /** The differences from the last pass above the failures, their spans highlighted (pinned like an analyzer rule). */
  private showComparison(message: ComparisonMessage): void {
    const model = this.model;
    if (!model || model.trace.traceId !== message.traceId) return;
    this.comparison?.remove();
    this.comparison = comparisonSection(message, model, (i) => this.select(i, true));
    this.failures.prepend(this.comparison);
    const spans = differenceSpans(message, model);
    this.setActiveRule(undefined);
    if (spans.length > 0) this.filter.pin('Since the last pass', spans);
    else this.filter.unpin();
  }

  private clearComparison(): void {
    if (!this.comparison) return;
    this.comparison.remove();
    this.comparison = undefined;
    if (!this.state.analyzerRule) this.filter.unpin();
  }

  /** While the test runs the previous trace stays on screen; the badge and the button say it is running, and where. */
  private setRunning(running: boolean, progress?: RunProgress): void {
    this.running = running;
    this.status.textContent = running ? 'running' : this.lastStatus;
    this.status.className = `test-status ${running ? 'running' : this.lastStatus}`.trimEnd();
    this.rerun.toggleAttribute('disabled', running);
    this.rerun.textContent = running ? 'Running…' : 'Run again';
    this.showProgress(running ? progress : undefined);
  }

  private showProgress(progress: RunProgress | undefined): void {
    clearInterval(this.progressTimer);
    this.progressTimer = undefined;
    this.progress.hidden = !progress;
    if (!progress) return;
    this.progressText.textContent = progress.text;
    const { until } = progress;
    // Past the deadline the run is judging the trace: the time left would only read 0.
    const tick = () => (this.progressLeft.textContent = until !== undefined && until > Date.now() ? `, up to ${formatMs(until - Date.now())}` : '');
    tick();
    if (until !== undefined) this.progressTimer = setInterval(tick, 250);
  }

  /** A new trace with its first results: laid out anew (zoom and selection restored when it is the same test's). */
  private show(message: ResultsMessage): void {
    const model = withResults(this.base!, message);
    this.fresh = false;
    performance.mark('tracelens:model');
    const sameTest = this.state.test?.file === message.test.file && this.state.test.key === message.test.key;
    const previousSpan = sameTest && this.state.selectedSpanId ? model.trace.byId.get(this.state.selectedSpanId) : undefined;
    this.model = model;
    this.state.test = { file: message.test.file, key: message.test.key };
    this.empty.hidden = true;
    this.body.hidden = false;
    this.showTest(message);
    const n = model.trace.spans.length;
    this.summary.textContent = `${n.toLocaleString('en-US')} span${n === 1 ? '' : 's'} · ${model.services.length} service${model.services.length === 1 ? '' : 's'} · ${formatMs(model.totalMs)}`;
    this.current.clear();
    this.provideModel(this.state.view);
    performance.mark('tracelens:view');
    if (sameTest) this.restoreViewState(this.state.view);
    this.filter.setTrace(model.trace);
    this.showFindings(model, sameTest);
    const focus = message.focusSpanId ? model.trace.byId.get(message.focusSpanId) : undefined;
    const target = focus?.index ?? previousSpan?.index ?? firstFailure(model);
    // Only an explicit focus moves the views; a new graph opens on the selected first failure when it cannot show the
    // whole trace at a readable zoom.
    if (target !== undefined) this.select(target, focus !== undefined);
    else {
      this.selected = undefined;
      this.details.clear();
      for (const view of this.activeViews()) view.setSelected(undefined, false);
    }
    this.saveSoon();
    // elkjs compiles for a second on another core: not beside the first trace's first frame.
    this.views.graph.startLayoutWorker();
    // The first frame after the trace is on screen: what "interactive" means in the benchmark.
    requestAnimationFrame(() => {
      document.body.dataset.shown = String(Number(document.body.dataset.shown ?? '0') + 1);
      performance.mark('tracelens:shown');
    });
    this.prepareWhenIdle(model.trace);
  }

  /** While the page is idle, what selecting a span searches: the first span selected is then as quick as the next. */
  private prepareWhenIdle(trace: Trace): void {
    requestIdleCallback((deadline) => {
      if (this.base?.trace === trace && !prepareSelectorCandidates(trace, () => deadline.timeRemaining())) this.prepareWhenIdle(trace);
    });
  }

  /** New results on the trace on screen: marks, failures and the analyzer again; the layout, selection, view and search stay. */
  private refresh(message: ResultsMessage): void {
    const model = withResults(this.base!, message);
    // The side is rebuilt with the new results; the user reads on where they were.
    const sideTop = this.side.scrollTop;
    this.model = model;
    this.showTest(message);
    for (const view of this.activeViews()) view.setResults(model);
    this.showFindings(model, true);
    const focus = message.focusSpanId ? model.trace.byId.get(message.focusSpanId) : undefined;
    const selected = this.selected === undefined ? undefined : model.trace.spans[this.selected];
    if (focus) this.select(focus.index, true);
    else if (selected) this.details.show(model, selected);
    else {
      const first = firstFailure(model);
      if (first !== undefined) this.select(first, false);
    }
    this.saveSoon();
    // The side's custom elements draw themselves in a microtask: until then it is too short to be scrolled back.
    requestAnimationFrame(() => {
      this.side.scrollTop = sideTop;
      document.body.dataset.results = String(Number(document.body.dataset.results ?? '0') + 1);
    });
  }

  private showTest(message: ResultsMessage): void {
    this.notice.hidden = true;
    this.title.textContent = `${message.test.name} · ${message.test.label}`;
    document.title = message.test.name;
    // A trace with no test: no status, no run, no assert form (media/panel.css hides it); a test can be made of it.
    const browsing = message.test.file === '';
    document.body.dataset.mode = browsing ? 'trace' : 'test';
    this.rerun.hidden = browsing;
    this.createTest.hidden = !browsing;
    this.lastStatus = browsing ? '' : message.test.status;
    this.setRunning(false);
  }

  /** The side's failing assertions, trace problems and analyzer; the rule highlighted before stays while it still fails. */
  private showFindings(model: PanelModel, sameTest: boolean): void {
    const list = failureList(model, { goTo: (i) => this.select(i, true), post: (m) => this.post(m), showSelector: (s) => this.filter.showSelector(s) });
    const problems = traceProblemList(model, { goTo: (i) => this.select(i, true) });
    this.analysis = analyzerSection(model, { toggleRule: (rule) => this.toggleRule(rule), goTo: (i) => this.select(i, true) });
    this.comparison = undefined;
    this.failures.replaceChildren(...[list, problems, this.analysis].filter((part): part is HTMLElement => part !== undefined));
    const pinned = sameTest ? this.failingRule(this.state.analyzerRule) : undefined;
    if (pinned) this.pinRule(pinned);
    else {
      this.filter.unpin();
      this.setActiveRule(undefined);
    }
  }

  private showEmpty(text: string, name?: string): void {
    this.model = undefined;
    this.analysis = undefined;
    // The rule stays in the state: the test's next trace highlights it again while it still fails.
    this.filter.unpin();
    this.current.clear();
    this.title.textContent = name ?? 'Trace';
    this.lastStatus = '';
    this.setRunning(false);
    this.summary.textContent = '';
    this.failures.replaceChildren();
    this.comparison = undefined;
    this.runPicker.clear();
    this.details.clear();
    this.empty.replaceChildren(el('p', { text }));
    this.empty.hidden = false;
    this.body.hidden = true;
  }

  private select(index: number, reveal: boolean): void {
    const model = this.model;
    const span = model?.trace.spans[index];
    if (!model || !span) return;
    performance.mark('tracelens:select');
    this.selected = index;
    this.state.selectedSpanId = span.id;
    for (const view of this.activeViews()) view.setSelected(index, reveal);
    performance.mark('tracelens:selected-views');
    this.details.show(model, span);
    performance.mark('tracelens:selected-details');
    this.saveSoon();
  }

  /** A rule's failing spans highlighted (and the first selected), or the highlight cleared when it is the rule shown. */
  private toggleRule(rule: RuleResult): void {
    if (this.state.analyzerRule === rule.id) {
      this.filter.unpin();
      this.setActiveRule(undefined);
      return;
    }
    this.pinRule(rule);
    const first = this.model?.trace.byId.get(rule.failures[0]?.spanId ?? '');
    if (first) this.select(first.index, true);
  }

  private pinRule(rule: RuleResult): void {
    const trace = this.model!.trace;
    const indexes = rule.failures.flatMap((f) => trace.byId.get(f.spanId)?.index ?? []);
    this.filter.pin(`Analyzer: ${rule.name}`, indexes);
    this.setActiveRule(rule.id);
  }

  private setActiveRule(id: string | undefined): void {
    if (id) this.state.analyzerRule = id;
    else delete this.state.analyzerRule;
    markActiveRule(this.analysis, id);
    this.saveSoon();
  }

  private failingRule(id: string | undefined): RuleResult | undefined {
    return id ? this.model?.analyzer?.plugins.flatMap((p) => p.rules).find((r) => r.id === id && r.failures.length > 0) : undefined;
  }

  private showView(name: ViewName, save = true): void {
    this.state.view = name;
    for (const [n, view] of Object.entries(this.views) as Array<[ViewName, SpanView]>) {
      const active = n === name;
      view.element.hidden = !active;
      this.viewButtons[n].toggleAttribute('secondary', !active);
      this.viewButtons[n].setAttribute('aria-selected', String(active));
    }
    this.criticalPath.hidden = name !== 'timeline';
    if (this.model && !this.current.has(name)) {
      this.provideModel(name);
      this.views[name].setHighlight(this.filter.highlight());
      this.views[name].setSelected(this.selected, this.selected !== undefined);
    }
    this.views[name].shown();
    if (save) this.saveSoon();
  }

  private provideModel(name: ViewName): void {
    const { graph, timeline } = this.views;
    if (name === 'timeline') {
      timeline.setModel(this.model!);
      timeline.setCriticalPath(this.state.criticalPath);
      timeline.setCollapsedSpans(this.state.collapsed);
    } else {
      graph.setModel(this.model!);
      graph.setExpandedGroups(this.state.expanded);
    }
    this.current.add(name);
  }

  /** Zoom and scroll as saved, for the view being shown. */
  private restoreViewState(name: ViewName): void {
    if (name === 'graph' && this.state.zoom) this.views.graph.setZoomState(this.state.zoom);
    if (name === 'timeline' && this.state.timelineTop !== undefined) this.views.timeline.setScrollTop(this.state.timelineTop);
  }

  /** The divider between the view and the side: its width beside the view, or its height when stacked under it. */
  private sideSash(): Sash {
    const axis = (): SashAxis => (matchMedia(STACKED).matches ? 'y' : 'x');
    return new Sash('Size of the span details', {
      axis,
      grows: () => -1,
      size: () => (axis() === 'x' ? this.side.offsetWidth : this.side.offsetHeight),
      limits: () => {
        const a = axis();
        const room = a === 'x' ? this.body.clientWidth : this.body.clientHeight;
        // The same bounds as media/panel.css puts on the side.
        return { min: SIDE_MIN[a], max: Math.min(room - VIEW_MIN[a], a === 'x' ? room * SIDE_MAX_SHARE : room) };
      },
      resize: (px) => {
        if (axis() === 'x') this.state.sideWidth = px;
        else this.state.sideHeight = px;
        this.applySideSize();
      },
      reset: () => {
        if (axis() === 'x') delete this.state.sideWidth;
        else delete this.state.sideHeight;
        this.applySideSize();
      },
      settled: () => this.saveSoon(),
    });
  }

  private applySideSize(): void {
    const { sideWidth, sideHeight } = this.state;
    for (const [name, px] of [
      ['--tl-side-width', sideWidth],
      ['--tl-side-height', sideHeight],
    ] as const) {
      if (px === undefined) this.body.style.removeProperty(name);
      else this.body.style.setProperty(name, `${px}px`);
    }
  }

  private activeViews(): SpanView[] {
    return [...this.current].map((n) => this.views[n]);
  }

  private applyHighlight(): void {
    const highlight = this.model ? this.filter.highlight() : undefined;
    for (const view of this.activeViews()) view.setHighlight(highlight);
    const texts = this.filter.texts();
    this.state.selector = texts.selector;
    this.state.search = texts.search;
    this.saveSoon();
  }

  private shortcut(event: KeyboardEvent): void {
    if ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === 'f') {
      event.preventDefault();
      this.filter.focusSearch();
    }
  }

  private showNotice(text: string): void {
    this.notice.textContent = text;
    this.notice.hidden = false;
  }

  private post(message: WebviewMessage): void {
    this.vscode.postMessage(message);
  }

  private saveSoon(): void {
    clearTimeout(this.saveTimer);
    this.saveTimer = setTimeout(() => this.save(), SAVE_DELAY_MS);
  }

  private save(): void {
    const graph = this.views.graph;
    const timeline = this.views.timeline;
    const zoom = this.current.has('graph') ? graph.zoomState() : this.state.zoom;
    const top = this.current.has('timeline') ? timeline.scrollTop() : this.state.timelineTop;
    this.state = {
      ...this.state,
      ...(zoom ? { zoom } : {}),
      ...(top !== undefined ? { timelineTop: top } : {}),
      expanded: this.current.has('graph') ? graph.expandedGroups() : this.state.expanded,
      collapsed: this.current.has('timeline') ? timeline.collapsedSpans() : this.state.collapsed,
      labelShare: timeline.labelWidthShare(),
    };
    this.vscode.setState(this.state);
  }
}

/** A trace with no test, as results with nothing in them: the test's file is empty, its key the trace id. */
function browseResults(message: BrowseMessage): ResultsMessage {
  const test = { file: '', label: `trace ${message.traceId}`, key: message.traceId, name: message.title, status: 'passed' as const, durationMs: 0 };
  return { type: 'results', traceId: message.traceId, test, specs: [], outputs: [], variables: [] };
}

function firstFailure(model: PanelModel): number | undefined {
  return [...model.failures.keys()].sort((a, b) => a - b)[0];
}
