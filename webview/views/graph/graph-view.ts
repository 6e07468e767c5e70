// The trace as a graph of spans. Up to ELK_NODE_LIMIT nodes are laid out by elk (in a worker) and drawn as SVG,
// growing down in a panel taller than wide (with leaves stacked in columns where siblings side by side would be too
// wide to read, as a tidy tree: leaf-stacks.ts) and right otherwise (laid out again when the panel's shape crosses
// over); beyond, a tidy tree growing right is laid out at once and drawn on a canvas (as is a first layout elk is
// late for, in the panel's direction). Repeated siblings are aggregated and deep levels of huge traces folded
// (visible-tree.ts); what the user expanded is kept by key so the app can save it. Layouts asked for in one task
// (setModel, setExpandedGroups, …) are made once.
import { custom, el } from '../../dom';
import type { PanelModel } from '../../model';
import { readPalette, type Palette } from '../../theme';
import type { Highlight, SpanView, SpanViewHost } from '../span-view';
import { CanvasRenderer } from './canvas-renderer';
import { ElkLayouter } from './elk-layout';
import { CANVAS_NODE_WIDTH, nodeHeight, STUB_WIDTH, type Direction, type GraphLayout } from './geometry';
import { stackedLayout } from './leaf-stacks';
import { isNavigationKey, neighbour } from './navigation';
import { describeNode, matchCounts, nodeFacts, nodeText } from './node-facts';
import { Scene, type Decorations, type GraphRenderer } from './scene';
import { svgNodeWidth, SvgRenderer } from './svg-renderer';
import { fontsOf, TextFit, type TextFits } from './text-fit';
import { tidyLayout } from './tidy-layout';
import { Tooltip } from './tooltip';
import { Viewport, type Start, type ZoomState } from './viewport';
import { buildVisibleTree, NodeKind, Signatures, type GraphNode, type VisibleTree } from './visible-tree';

export type { ZoomState } from './viewport';

/** More visible nodes than this are laid out as a tidy tree on a canvas: elk and SVG slow down past it. */
const ELK_NODE_LIMIT = 300;
/** Fit shrinks a graph this far at most: nodes are still blocks of colour. */
const MIN_FIT_SCALE = 0.2;
/** How long a first layout waits for a started elk worker before the tidy tree is shown instead. */
const FIRST_LAYOUT_WAIT_MS = 250;
/** Revealing a span zooms in at least this far, so its node can be read; a new trace opens no smaller either. */
const REVEAL_SCALE = 0.75;

/** The shapes tried, in order, in a panel whose shape says down or right (growing right, leaves already stack). */
const SHAPES: Readonly<Record<Direction, readonly Shape[]>> = { down: ['down', 'stacked', 'right'], right: ['right', 'down', 'stacked'] };
/** When no shape shows the graph whole, the one of these that shows the most is taken (growing right, no choice). */
const COMPARED: Readonly<Record<Direction, readonly Shape[]>> = { down: ['down', 'stacked'], right: [] };

/** A panel this much taller than wide (or wider than tall) turns a graph growing right (down) the other way. */
const CROSSOVER = 1.1;

/** Space kept between the zoom buttons and a fitted graph. */
const CORNER_GAP = 8;

/** Each zoom button press or key zooms by this factor. */
const ZOOM_STEP = 1.5;
type ZoomAction = 'in' | 'out' | 'fit';
const ZOOM_KEYS: Partial<Record<string, ZoomAction>> = { '+': 'in', '=': 'in', '-': 'out', '0': 'fit' };

/** What to do with the pan and zoom once the next layout is in. */
type Intent =
  | { kind: 'keep' }
  /** The whole graph, at `minScale` at least; past that, the selected span (else the root) in view. */
  | { kind: 'fit'; minScale: number }
  | { kind: 'zoom'; state: ZoomState }
  /** Keep the node showing `span` where it is on screen (its left edge and middle at `at`). */
  | { kind: 'anchor'; span: number; at: [number, number] }
  | { kind: 'reveal'; span: number };

export class GraphView implements SpanView {
  readonly element: HTMLElement;
  private readonly surface: HTMLDivElement;
  private readonly status: HTMLDivElement;
  private readonly live: HTMLDivElement;
  private readonly tooltip = new Tooltip();
  private readonly viewport: Viewport;
  private readonly controls: HTMLElement;
  private readonly elk = new ElkLayouter();
  /** Which way the panel's shape says an SVG layout grows (the other way only when that alone shows it all). */
  private direction = panelDirection(undefined);
  private readonly resizeObserver: ResizeObserver;
  private palette: Palette;
  private readonly fits: TextFits;
  private model: PanelModel | undefined;
  private signatures: Signatures | undefined;
  private expanded = new Set<string>();
  /** The latest visible tree laid out; `scene` lags behind it while elk works. */
  private tree: VisibleTree | undefined;
  /** The tree of the current trace and `expanded` that revealing a span made, for the layout it asks for. */
  private opened: VisibleTree | undefined;
  private scene: Scene | undefined;
  private renderer: GraphRenderer | undefined;
  /** A layout is due at the end of the current task, so calls made together (setModel, setExpandedGroups, …) make one. */
  private scheduled = false;
  private generation = 0;
  private installed = 0;
  private intent: Intent = { kind: 'keep' };
  /** An intent that waits for the view to have a size (it may be laid out while hidden). */
  private deferred: Intent | undefined;
  private highlight: Highlight;
  private matches: Uint32Array | undefined;
  private selectedSpan: number | undefined;
  /** The span this view last reported selected: revealing it again does not open the group it was picked from. */
  private reported: number | undefined;
  private focusKey: string | undefined;
  private hoverFrame = 0;

  constructor(private readonly host: SpanViewHost) {
    this.palette = readPalette();
    const fonts = fontsOf(this.palette);
    this.fits = { name: new TextFit(fonts.name), small: new TextFit(fonts.small) };
    this.element = document.createElement('div');
    this.element.className = 'graph-view';
    this.surface = document.createElement('div');
    this.surface.className = 'graph-surface';
    this.status = document.createElement('div');
    this.status.className = 'graph-status';
    this.status.setAttribute('role', 'status');
    this.live = document.createElement('div');
    this.live.className = 'graph-live';
    this.live.id = `graph-live-${Math.random().toString(36).slice(2)}`;
    this.live.setAttribute('aria-live', 'polite');
    this.controls = this.zoomControls();
    this.element.append(this.surface, this.status, this.live, this.tooltip.element, this.controls);
    this.applyPalette();
    this.viewport = new Viewport(
      this.surface,
      (transform) => {
        this.renderer?.setTransform(transform);
        this.tooltip.hide();
      },
      () => this.host.viewStateChanged(),
      () => this.controlsCorner(),
    );
    this.surface.addEventListener('click', (event) => this.click(event));
    this.surface.addEventListener('dblclick', (event) => this.doubleClick(event));
    this.surface.addEventListener('keydown', (event) => this.keydown(event));
    this.surface.addEventListener('pointermove', (event) => this.hover(event));
    this.surface.addEventListener('pointerleave', () => this.tooltip.hide());
    this.resizeObserver = new ResizeObserver(() => this.resized());
    this.resizeObserver.observe(this.surface);
    // The panel's shape decides the direction, also when the view keeps its size (the side under it grew).
    this.resizeObserver.observe(document.documentElement);
  }

  setModel(model: PanelModel): void {
    this.model = model;
    this.opened = undefined;
    this.direction = panelDirection(this.direction);
    this.signatures = new Signatures(model.trace, model.services, model.serviceOf);
    this.selectedSpan = undefined;
    this.reported = undefined;
    this.focusKey = undefined;
    this.relayout({ kind: 'fit', minScale: REVEAL_SCALE });
  }

  setResults(model: PanelModel): void {
    this.model = model;
    const scene = this.scene;
    // A layout on its way was made from the previous results: one made now reads the new ones.
    if (!scene || this.layoutPending()) {
      this.relayout({ kind: 'keep' });
      return;
    }
    // Node sizes do not depend on results: the layout stays, drawn again with the new marks.
    const mode = this.element.dataset.mode === 'canvas' ? 'canvas' : 'svg';
    this.install(new Scene(model, scene.tree, scene.layout, nodeFacts(scene.tree, model)), this.installed, mode);
  }

  setHighlight(highlight: Highlight): void {
    this.highlight = highlight;
    this.matches = this.scene ? matchCounts(this.scene.tree, highlight) : undefined;
    this.redecorate();
  }

  setSelected(spanIndex: number | undefined, reveal: boolean): void {
    this.selectedSpan = spanIndex;
    if (spanIndex !== this.reported) this.reported = undefined;
    // A selection made elsewhere (the timeline, a spec) is where the keyboard goes on from.
    const focus = this.focusNode();
    if (focus >= 0 && (spanIndex === undefined || !this.scene!.tree.nodes[focus]!.spans.includes(spanIndex))) this.focusKey = undefined;
    if (reveal && spanIndex !== undefined && this.model && spanIndex < this.model.trace.spans.length) {
      if (this.openTo(spanIndex)) {
        this.relayout({ kind: 'reveal', span: spanIndex });
        return;
      }
      if (this.layoutPending()) this.intent = { kind: 'reveal', span: spanIndex };
      else this.position({ kind: 'reveal', span: spanIndex }, true);
    }
    this.redecorate();
  }

  setPalette(palette: Palette): void {
    const fontsChanged = fontsOf(palette).name !== this.fits.name.font || fontsOf(palette).small !== this.fits.small.font;
    this.palette = palette;
    this.applyPalette();
    if (fontsChanged) {
      const fonts = fontsOf(palette);
      this.fits.name = new TextFit(fonts.name);
      this.fits.small = new TextFit(fonts.small);
      this.relayout({ kind: 'keep' });
    } else if (this.scene && !this.layoutPending()) {
      // Drawn again as installed (a layout still on its way is drawn with the new palette when it comes).
      this.install(this.scene, this.installed, this.element.dataset.mode === 'canvas' ? 'canvas' : 'svg');
    }
  }

  shown(): void {
    this.resized();
  }

  /** Starts elk's worker after the next frame: the app calls it once a trace is on screen, whichever view shows it. */
  startLayoutWorker(): void {
    this.elk.startAfterFrame();
  }

  destroy(): void {
    this.model = undefined;
    this.generation++;
    this.resizeObserver.disconnect();
    this.viewport.destroy();
    this.renderer?.destroy();
    this.elk.destroy();
    if (this.hoverFrame) cancelAnimationFrame(this.hoverFrame);
    this.element.remove();
  }

  /** Keys of the groups the user expanded and the stubs they unfolded, for the app to save. */
  expandedGroups(): string[] {
    return [...this.expanded];
  }

  setExpandedGroups(keys: readonly string[]): void {
    this.expanded = new Set(keys);
    this.opened = undefined;
    if (this.model) this.relayout({ kind: 'keep' });
  }

  /** Pan and zoom, for the app to save; undefined before the first layout. */
  zoomState(): ZoomState | undefined {
    if (!this.scene) return undefined;
    const { k, x, y } = this.viewport.transform;
    return { k, x, y };
  }

  setZoomState(state: ZoomState): void {
    if (!this.scene || this.layoutPending()) this.intent = { kind: 'zoom', state };
    else this.position({ kind: 'zoom', state }, false);
  }

  /**
   * Where the node showing a span is drawn, in client coordinates (its centre), or undefined while it is not laid
   * out; for placing things next to it (and for tests, which click there).
   */
  nodeScreenPosition(spanIndex: number): { x: number; y: number } | undefined {
    const scene = this.scene;
    if (!scene || spanIndex < 0 || spanIndex >= scene.tree.nodeOfSpan.length) return undefined;
    const id = scene.tree.nodeOfSpan[spanIndex]!;
    const { x, y, w, h } = scene.layout;
    const t = this.viewport.transform;
    const rect = this.surface.getBoundingClientRect();
    return { x: rect.left + t.applyX(x[id]! + w[id]! / 2), y: rect.top + t.applyY(y[id]! + h[id]! / 2) };
  }

  private relayout(intent: Intent): void {
    if (intent.kind !== 'keep') this.intent = intent;
    if (this.scheduled) return;
    this.scheduled = true;
    queueMicrotask(() => this.layoutNow());
  }

  private layoutPending(): boolean {
    return this.scheduled || this.installed !== this.generation;
  }

  private layoutNow(): void {
    const { model, signatures } = this;
    if (!this.scheduled || !model || !signatures) return;
    this.scheduled = false;
    const generation = ++this.generation;
    const tree = this.opened ?? buildVisibleTree(model.trace, signatures, this.expanded);
    this.opened = undefined;
    this.tree = tree;
    const facts = nodeFacts(tree, model);
    const height = (id: number) => nodeHeight(tree.nodes[id]!);
    if (tree.nodes.length > ELK_NODE_LIMIT) {
      const layout = tidyLayout(tree, (id) => (tree.nodes[id]!.kind === NodeKind.Stub ? STUB_WIDTH : CANVAS_NODE_WIDTH), height, 'right');
      this.install(new Scene(model, tree, layout, facts), generation, 'canvas');
      return;
    }
    const widths = tree.nodes.map((node) => svgNodeWidth(node, nodeText(node, model, facts), facts, this.fits));
    const width = (id: number) => widths[id]!;
    const { shape, tidy } = this.fittingShape(tree, width, height);
    const direction = shape === 'stacked' ? 'down' : shape;
    const installTidy = () => {
      if (generation === this.generation && this.installed !== generation)
        this.install(new Scene(model, tree, tidy ?? tidyLayout(tree, width, height, direction), facts), generation, 'svg');
    };
    // Stacked, the tidy tree is the layout: elk's layers would make each column as tall as a level.
    if (shape === 'stacked') return installTidy();
    // With nothing on screen yet, a worker still compiling elk (about 1 s) is not waited for: the tidy tree is shown at
    // once and kept (no jump when elk would be done); a started worker gets a moment, then the tidy tree is shown.
    if (!this.scene && !this.elk.ready) return installTidy();
    const late = this.scene ? undefined : setTimeout(installTidy, FIRST_LAYOUT_WAIT_MS);
    if (!this.scene) this.setStatus('Laying out the graph…');
    this.elk.layout(tree, width, height, direction).then(
      (layout) => {
        clearTimeout(late);
        if (generation === this.generation && this.installed !== generation) this.install(new Scene(model, tree, layout, facts), generation, 'svg');
      },
      (error: unknown) => {
        clearTimeout(late);
        if (generation === this.generation) console.warn('Tracelens: the graph layout worker failed; using a tree layout', error);
        installTidy();
      },
    );
  }

  /**
   * The panel's direction, growing down with leaves stacked when only that shows the graph whole at a readable zoom,
   * else the other direction when that does (a deep trace in a wide but roomy panel), else the panel's direction at
   * its most compact: judged by the tidy tree, linear and at least as wide as elk's layers.
   */
  private fittingShape(tree: VisibleTree, width: (id: number) => number, height: (id: number) => number): { shape: Shape; tidy?: GraphLayout } {
    const preferred = this.direction;
    const { width: viewWidth, height: viewHeight } = this.viewport;
    if (viewWidth === 0 || viewHeight === 0) return { shape: preferred };
    // Nodes covering more than the view at that zoom fit in no shape: only those of the panel's direction are laid out.
    let area = 0;
    for (const node of tree.nodes) area += width(node.id) * height(node.id);
    const fits = area * REVEAL_SCALE ** 2 <= viewWidth * viewHeight;
    let best: { shape: Shape; tidy?: GraphLayout } = { shape: preferred };
    let bestZoom = -Infinity;
    for (const shape of fits ? SHAPES[preferred] : COMPARED[preferred]) {
      const tidy = shape === 'stacked' ? stackedLayout(tree, width, height) : tidyLayout(tree, width, height, shape);
      if (!tidy) continue;
      const zoom = this.viewport.fitZoom(tidy.bounds);
      if (zoom >= REVEAL_SCALE) return { shape, tidy };
      if (COMPARED[preferred].includes(shape) && zoom > bestZoom) [best, bestZoom] = [{ shape, tidy }, zoom];
    }
    return best;
  }

  private install(scene: Scene, generation: number, mode: 'svg' | 'canvas'): void {
    // Drawing replaces the node elements: focus has to be put back on the new ones.
    const hadFocus = this.element.contains(document.activeElement);
    this.scene = scene;
    this.installed = generation;
    if (this.element.dataset.mode !== mode || !this.renderer) {
      this.renderer?.destroy();
      this.renderer = mode === 'svg' ? new SvgRenderer(this.fits) : new CanvasRenderer(this.fits);
      this.surface.append(this.renderer.element);
      this.element.dataset.mode = mode;
      this.renderer.setTransform(this.viewport.transform);
    }
    this.element.dataset.layout = scene.layout.by;
    this.element.dataset.direction = scene.layout.direction;
    this.element.dataset.leaves = scene.layout.hanging ? 'stacked' : 'spread';
    const renderer = this.renderer;
    if (renderer instanceof CanvasRenderer) {
      renderer.element.setAttribute('role', 'application');
      renderer.element.setAttribute('aria-roledescription', 'trace graph');
      renderer.element.setAttribute(
        'aria-label',
        `Trace graph: ${scene.model.trace.spans.length} spans in ${scene.tree.nodes.length} nodes. Arrow keys move between spans, Enter selects, Space expands a group.`,
      );
      renderer.element.setAttribute('aria-describedby', this.live.id);
    }
    this.setStatus('');
    this.matches = matchCounts(scene.tree, this.highlight);
    this.viewport.setBounds(scene.layout.bounds);
    renderer.show(scene, this.decorations(), this.palette);
    const intent = this.intent;
    this.intent = { kind: 'keep' };
    this.position(intent, intent.kind === 'reveal');
    this.announce();
    this.elk.startAfterFrame();
    const focus = this.focusNode();
    if (hadFocus) renderer.focus(focus >= 0 ? focus : (scene.tree.nodeOfSpan[this.selectedSpan ?? 0] ?? 0));
  }

  /** Applies an intent now, or once the view has a size. */
  private position(intent: Intent, animate: boolean): void {
    const scene = this.scene;
    if (!scene || intent.kind === 'keep') return;
    if (this.viewport.width === 0 || this.viewport.height === 0) {
      this.deferred = intent;
      return;
    }
    this.deferred = undefined;
    const { x, y, w, h } = scene.layout;
    switch (intent.kind) {
      case 'fit': {
        const selected = this.selectedSpan === undefined ? undefined : scene.tree.nodeOfSpan[this.selectedSpan];
        const focus = selected === undefined ? undefined : { x: x[selected]!, y: y[selected]!, w: w[selected]!, h: h[selected]! };
        // Too big to fit, the graph opens from its root: at the left side growing right, at the top growing down.
        const start: Start =
          scene.layout.direction === 'right' ? { point: [x[0]!, y[0]! + h[0]! / 2], side: 'left' } : { point: [x[0]! + w[0]! / 2, y[0]!], side: 'top' };
        this.viewport.fit(scene.layout.bounds, intent.minScale, start, animate, focus);
        break;
      }
      case 'zoom':
        this.viewport.set(intent.state);
        break;
      case 'anchor': {
        const id = scene.tree.nodeOfSpan[intent.span]!;
        const { k } = this.viewport.transform;
        this.viewport.set({ k, x: intent.at[0] - x[id]! * k, y: intent.at[1] - (y[id]! + h[id]! / 2) * k });
        break;
      }
      case 'reveal': {
        const id = scene.tree.nodeOfSpan[intent.span]!;
        this.viewport.centreOn(x[id]! + w[id]! / 2, y[id]! + h[id]! / 2, REVEAL_SCALE, animate);
        break;
      }
    }
  }

  private resized(): void {
    if (this.turned()) return;
    this.renderer?.resize();
    if (this.scene) this.viewport.setBounds(this.scene.layout.bounds);
    if (this.deferred) this.position(this.deferred, false);
    else this.keepSelectedInView();
  }

  /**
   * The panel's shape crossed over: an SVG graph is laid out again the other way, whole if it fits at a readable
   * zoom, else around the selected span.
   */
  private turned(): boolean {
    const direction = panelDirection(this.direction);
    if (direction === this.direction) return false;
    this.direction = direction;
    if (!this.model || !this.scene || this.element.dataset.mode !== 'svg') return false;
    this.renderer?.resize();
    this.relayout({ kind: 'fit', minScale: REVEAL_SCALE });
    return true;
  }

  /** What the zoom buttons cover of the view's bottom right corner, with a little room around them. */
  private controlsCorner(): { width: number; height: number } {
    const view = this.surface.getBoundingClientRect();
    const controls = this.controls.getBoundingClientRect();
    if (controls.width === 0) return { width: 0, height: 0 };
    return { width: view.right - controls.left + CORNER_GAP, height: view.bottom - controls.top + CORNER_GAP };
  }

  /** The view got smaller (the details opened under it in a narrow panel): the selected node stays in sight. */
  private keepSelectedInView(): void {
    const scene = this.scene;
    const id = scene && this.selectedSpan !== undefined ? scene.tree.nodeOfSpan[this.selectedSpan] : undefined;
    if (!scene || id === undefined || this.viewport.width === 0 || this.viewport.height === 0) return;
    const { x, y, w, h } = scene.layout;
    this.viewport.scrollIntoView(x[id]!, y[id]!, w[id]!, h[id]!);
  }

  /** Expands what hides `span` (its group, the stubs above it); returns whether anything had to open. */
  private openTo(span: number): boolean {
    const { model, signatures } = this;
    if (!model || !signatures) return false;
    let tree = this.opened ?? (this.tree && !this.scheduled ? this.tree : buildVisibleTree(model.trace, signatures, this.expanded));
    let opened = false;
    for (;;) {
      const node = tree.nodes[tree.nodeOfSpan[span]!]!;
      if (node.kind === NodeKind.Span || (node.kind === NodeKind.Group && span === this.reported) || this.expanded.has(node.key)) return opened;
      this.expanded.add(node.key);
      opened = true;
      tree = this.opened = buildVisibleTree(model.trace, signatures, this.expanded);
    }
  }

  private decorations(): Decorations {
    const tree = this.scene?.tree;
    const selectedNode = tree && this.selectedSpan !== undefined ? (tree.nodeOfSpan[this.selectedSpan] ?? -1) : -1;
    return { matches: this.matches, selectedSpan: this.selectedSpan, selectedNode, focusNode: this.focusNode() };
  }

  private redecorate(): void {
    if (!this.scene || !this.renderer) return;
    this.renderer.decorate(this.decorations());
    this.announce();
  }

  /** On the canvas, which has no element per node, the live region says what is focused or selected. */
  private announce(): void {
    const scene = this.scene;
    if (!scene || !(this.renderer instanceof CanvasRenderer)) {
      this.live.textContent = '';
      return;
    }
    const { focusNode, selectedNode } = this.decorations();
    const id = focusNode >= 0 && focusNode !== selectedNode ? focusNode : selectedNode;
    this.live.textContent = id >= 0 ? describeNode(scene.tree.nodes[id]!, scene.model, scene.facts, this.matches?.[id], this.selectedSpan) : '';
  }

  private focusNode(): number {
    if (this.focusKey === undefined || !this.scene) return -1;
    return this.scene.tree.nodes.find((node) => node.key === this.focusKey)?.id ?? -1;
  }

  private click(event: MouseEvent): void {
    const hit = this.renderer?.hit(event);
    const scene = this.scene;
    if (!hit || !scene) return;
    const node = scene.tree.nodes[hit.node]!;
    if (hit.badge || node.kind === NodeKind.Stub) this.toggle(node);
    else this.choose(node);
  }

  private doubleClick(event: MouseEvent): void {
    const hit = this.renderer?.hit(event);
    if (hit && this.scene) this.toggle(this.scene.tree.nodes[hit.node]!);
  }

  /** Selects the node's span: for a group, the selected member, else its first match, else its first span. */
  private choose(node: GraphNode): void {
    if (node.kind === NodeKind.Stub) return;
    const highlight = this.highlight;
    const span =
      (this.selectedSpan !== undefined && node.spans.includes(this.selectedSpan) ? this.selectedSpan : undefined) ??
      (highlight ? node.spans.find((s) => highlight[s] === 1) : undefined) ??
      node.spans[0]!;
    this.focusKey = node.key;
    this.selectedSpan = span;
    this.reported = span;
    this.redecorate();
    this.renderer?.focus(node.id);
    this.host.select(span);
  }

  /** Expands a group or a stub, or collapses the group a node was expanded from, keeping the node in place. */
  private toggle(node: GraphNode): void {
    const scene = this.scene;
    if (!scene) return;
    let anchorNode = node;
    this.opened = undefined;
    if (node.kind === NodeKind.Group) this.expanded.add(node.key);
    else if (node.kind === NodeKind.Stub) {
      this.expanded.add(node.key);
      anchorNode = node.parent!;
    } else if (node.collapse) this.expanded.delete(node.collapse.key);
    else return;
    const span = this.selectedSpan !== undefined && anchorNode.spans.includes(this.selectedSpan) ? this.selectedSpan : anchorNode.spans[0]!;
    const t = this.viewport.transform;
    const { x, y, h } = scene.layout;
    this.relayout({ kind: 'anchor', span, at: [t.applyX(x[anchorNode.id]!), t.applyY(y[anchorNode.id]! + h[anchorNode.id]! / 2)] });
    this.layoutNow();
    // Keyboard focus follows to the node that now shows the anchor span, or from a stub to what it hid.
    const tree = this.tree!;
    const shown = tree.nodes[tree.nodeOfSpan[span]!]!;
    this.focusKey = (node.kind === NodeKind.Stub ? (shown.children[0] ?? shown) : shown).key;
    this.redecorate();
    this.host.viewStateChanged();
  }

  private keydown(event: KeyboardEvent): void {
    const scene = this.scene;
    if (!scene || event.altKey || event.ctrlKey || event.metaKey) return;
    const decorations = this.decorations();
    const current = scene.tree.nodes[decorations.focusNode >= 0 ? decorations.focusNode : decorations.selectedNode >= 0 ? decorations.selectedNode : 0]!;
    if (isNavigationKey(event.key)) {
      const next = neighbour(scene.tree, current, event.key, scene.layout);
      event.preventDefault();
      if (!next) return;
      this.focusKey = next.key;
      const { x, y, w, h } = scene.layout;
      this.viewport.scrollIntoView(x[next.id]!, y[next.id]!, w[next.id]!, h[next.id]!);
      if (next.kind === NodeKind.Stub) {
        this.redecorate();
        this.renderer?.focus(next.id);
      } else this.choose(next);
    } else if (event.key === 'Enter') {
      event.preventDefault();
      if (current.kind === NodeKind.Stub) this.toggle(current);
      else this.choose(current);
    } else if (event.key === ' ') {
      event.preventDefault();
      this.toggle(current);
    } else if (event.key in ZOOM_KEYS) {
      event.preventDefault();
      this.zoom(ZOOM_KEYS[event.key]!);
    }
  }

  /** Zoom in, zoom out and fit: buttons over the graph, and the keys + − 0 on it. */
  private zoomControls(): HTMLElement {
    const controls = el('div', { className: 'graph-controls', attrs: { role: 'toolbar', 'aria-label': 'Zoom' } });
    for (const [action, text, label] of [
      ['in', '+', 'Zoom in (+)'],
      ['out', '\u2212', 'Zoom out (\u2212)'],
      ['fit', 'Fit', 'Fit the whole trace in view (0)'],
    ] as const) {
      const button = custom('vscode-button', { className: `graph-zoom-${action}`, text, title: label, attrs: { secondary: '', 'aria-label': label } });
      button.addEventListener('click', () => this.zoom(action));
      controls.append(button);
    }
    return controls;
  }

  private zoom(action: ZoomAction): void {
    if (!this.scene || this.viewport.width === 0) return;
    if (action === 'fit') this.position({ kind: 'fit', minScale: MIN_FIT_SCALE }, true);
    else this.viewport.zoomBy(action === 'in' ? ZOOM_STEP : 1 / ZOOM_STEP);
  }

  private hover(event: PointerEvent): void {
    if (event.buttons !== 0) return;
    const { clientX, clientY, target } = event;
    if (this.hoverFrame) cancelAnimationFrame(this.hoverFrame);
    this.hoverFrame = requestAnimationFrame(() => {
      this.hoverFrame = 0;
      const scene = this.scene;
      const hit = this.renderer?.hit({ clientX, clientY, target });
      if (!scene || !hit) this.tooltip.hide();
      else this.tooltip.show(scene.tree.nodes[hit.node]!, scene.model, scene.facts, clientX, clientY);
    });
  }

  private setStatus(text: string): void {
    this.status.textContent = text;
    this.status.hidden = text === '';
  }

  /** Colours and fonts for the SVG graph's stylesheet (media/graph.css) as custom properties, through CSSOM. */
  private applyPalette(): void {
    const p = this.palette;
    const fonts = fontsOf(p);
    const properties: Record<string, string> = {
      '--graph-foreground': p.foreground,
      '--graph-muted': p.muted,
      '--graph-background': p.background,
      '--graph-lines': p.lines,
      '--graph-selection': p.selection,
      '--graph-focus': p.focus,
      '--graph-highlight': p.highlight,
      '--graph-error': p.error,
      '--graph-name-font': fonts.name,
      '--graph-small-font': fonts.small,
    };
    for (const [name, value] of Object.entries(properties)) this.element.style.setProperty(name, value);
  }
}

/**
 * How the graph is laid out: growing right or down with siblings side by side, or down with leaves stacked in
 * columns (leaf-stacks.ts).
 */
type Shape = Direction | 'stacked';

/** Down in a panel taller than wide, right otherwise; once chosen, kept until the shape is CROSSOVER past square. */
function panelDirection(current: Direction | undefined): Direction {
  const { innerWidth: width, innerHeight: height } = window;
  if (current === 'down') return width > height * CROSSOVER ? 'right' : 'down';
  if (current === 'right') return height > width * CROSSOVER ? 'down' : 'right';
  return height > width ? 'down' : 'right';
}
