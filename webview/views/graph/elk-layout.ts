// elkjs's layered layout in a Web Worker, started once a new panel's first graph is on screen (drawn without elk):
// compiling the 1.6 MB worker script and warming it up keeps a core busy for about a second, which on a machine
// of two cores slowed that first graph. A webview cannot start a worker from its resource URIs, so the script
// (inlined in the bundle as text) runs from a blob URL.
import ELK, { type ElkExtendedEdge, type ElkNode } from 'elkjs/lib/elk-api.js';
import elkWorkerSource from 'elk-worker-source';
import { emptyLayout, finishLayout, LEVEL_GAP, SIBLING_GAP, type Direction, type GraphLayout } from './geometry';
import type { VisibleTree } from './visible-tree';

const OPTIONS = (direction: Direction): Record<string, string> => ({
  'elk.algorithm': 'layered',
  'elk.direction': direction === 'right' ? 'RIGHT' : 'DOWN',
  // The renderers draw elbows between the levels themselves; polyline routing is the cheapest elk offers.
  'elk.edgeRouting': 'POLYLINE',
  'elk.spacing.nodeNode': String(SIBLING_GAP[direction]),
  'elk.layered.spacing.nodeNodeBetweenLayers': String(LEVEL_GAP[direction]),
  'elk.layered.spacing.edgeNodeBetweenLayers': '12',
  // Keep siblings in span order (by start time) by ordering each layer by the positions given: a tree has no
  // crossings to minimise, and elk's model-order options cost several times the whole layout.
  'elk.layered.crossingMinimization.strategy': 'INTERACTIVE',
  'elk.layered.nodePlacement.strategy': 'BRANDES_KOEPF',
  'elk.layered.nodePlacement.bk.fixedAlignment': 'BALANCED',
});

/** Warm-up layouts of this many nodes: enough for the worker's JIT to compile the paths a real layout takes. */
const WARM_UP_NODES = 200;
const WARM_UP_RUNS = 3;

/** A worker that fails to start or dies makes every pending and later layout fail, so the caller falls back. */
export class ElkLayouter {
  private url: string | undefined;
  private elk: InstanceType<typeof ELK> | undefined;
  private failure: Error | undefined;
  /** A real layout was asked for: warming up stops. */
  private inUse = false;
  /** The worker has compiled its script and laid out a graph: a layout now takes milliseconds, not a second. */
  private started = false;
  private readonly rejecters = new Set<(error: Error) => void>();
  private starting = false;

  /** A graph is drawn: the worker starts once the frame showing it is done. */
  startAfterFrame(): void {
    if (this.starting) return;
    this.starting = true;
    requestAnimationFrame(() => setTimeout(() => this.start()));
  }

  /** Starts the worker (once) and warms it up, unless a layout is already waiting for it. */
  private start(): void {
    if (this.url || this.failure) return;
    const url = (this.url = URL.createObjectURL(new Blob([elkWorkerSource], { type: 'text/javascript' })));
    try {
      this.elk = new ELK({
        workerFactory: () => {
          const worker = new Worker(url);
          worker.addEventListener('error', (event) => this.fail(new Error(`layout worker: ${event.message || 'failed to start'}`)));
          return worker;
        },
      });
    } catch (error) {
      this.failure = error instanceof Error ? error : new Error(String(error));
    }
    this.warmUp(WARM_UP_RUNS);
  }

  get ready(): boolean {
    return this.started && !this.failure;
  }

  async layout(tree: VisibleTree, width: (id: number) => number, height: (id: number) => number, direction: Direction): Promise<GraphLayout> {
    this.inUse = true;
    this.start();
    if (this.failure || !this.elk) throw this.failure ?? new Error('no layout worker');
    let reject: (error: Error) => void = () => {};
    const failed = new Promise<never>((_, r) => {
      reject = r;
      this.rejecters.add(r);
    });
    try {
      const result = await Promise.race([this.elk.layout(graphOf(tree.nodes, direction, width, height)), failed]);
      this.started = true;
      return toLayout(tree, result, direction);
    } finally {
      this.rejecters.delete(reject);
    }
  }

  destroy(): void {
    this.elk?.terminateWorker();
    if (this.url) URL.revokeObjectURL(this.url);
    this.fail(new Error('the graph view was closed'));
  }

  /**
   * The first layouts in a fresh worker run cold, several times slower: spend that before the trace comes, one
   * run at a time, so a real layout waits for one at most.
   */
  private warmUp(runs: number): void {
    if (runs === 0 || this.inUse || !this.elk) return;
    this.elk.layout(graphOf(warmUpTree(), 'right')).then(
      () => {
        this.started = true;
        this.warmUp(runs - 1);
      },
      () => {},
    );
  }

  private fail(error: Error): void {
    this.failure ??= error;
    for (const reject of this.rejecters) reject(error);
    this.rejecters.clear();
  }
}

interface TreeNode {
  id: number;
  depth: number;
  parent: TreeNode | undefined;
}

/** Positions go in too: the interactive ordering keeps each layer in pre-order, top to bottom (left to right). */
function graphOf(
  nodes: readonly TreeNode[],
  direction: Direction,
  width: (id: number) => number = () => 100,
  height: (id: number) => number = () => 40,
): ElkNode {
  const place =
    direction === 'right' ? (node: TreeNode) => ({ x: node.depth * 100, y: node.id * 10 }) : (node: TreeNode) => ({ x: node.id * 10, y: node.depth * 100 });
  const children: ElkNode[] = nodes.map((node) => ({ id: String(node.id), width: width(node.id), height: height(node.id), ...place(node) }));
  const edges: ElkExtendedEdge[] = [];
  for (const node of nodes) if (node.parent) edges.push({ id: `e${node.id}`, sources: [String(node.parent.id)], targets: [String(node.id)] });
  return { id: 'root', layoutOptions: OPTIONS(direction), children, edges };
}

/** A bushy tree of WARM_UP_NODES nodes, three children each. */
function warmUpTree(): TreeNode[] {
  const nodes: TreeNode[] = [{ id: 0, depth: 0, parent: undefined }];
  for (let id = 1; id < WARM_UP_NODES; id++) {
    const parent = nodes[Math.floor((id - 1) / 3)]!;
    nodes.push({ id, depth: parent.depth + 1, parent });
  }
  return nodes;
}

function toLayout(tree: VisibleTree, graph: ElkNode, direction: Direction): GraphLayout {
  const layout = emptyLayout(tree.nodes.length, 'elk', direction);
  for (const child of graph.children ?? []) {
    const i = Number(child.id);
    layout.x[i] = child.x ?? 0;
    layout.y[i] = child.y ?? 0;
    layout.w[i] = child.width ?? 0;
    layout.h[i] = child.height ?? 0;
  }
  finishLayout(tree, layout);
  return layout;
}
