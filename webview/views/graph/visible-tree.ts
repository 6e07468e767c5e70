// Which nodes the graph shows. Spans are first aggregated: children of one node with the same service and name
// become one group node (a loop of 50 queries is one node "×50"), and the children of a group's members are
// aggregated together under it, so a batch of 500 identical requests reads as one request with counts. The user
// expands a group into its members by key. Then, so a huge tree still opens fast and readable, levels are shown
// while the graph stays within a budget of nodes and the subtrees below become "+N spans" stubs, unfolded on demand.
//
// Aggregation is lazy (a folded subtree is never aggregated) and works on integers: spans' (service, name) pairs
// are numbered once per trace, and keys are 64-bit hashes of the path, extended one step at a time.
import type { Trace } from '../../../src/core/trace/model';

/**
 * Siblings with the same service and name become one node from this many on: two read as easily apart as
 * together, and a retry next to its failed first attempt stays in view.
 */
const GROUP_MIN = 3;
/** Levels are shown while the graph has at most this many nodes; the next level folds into stubs. */
const FOLD_BUDGET = 1000;

export const enum NodeKind {
  Span = 0,
  Group = 1,
  /** Stands for the hidden subtrees of its parent's spans. */
  Stub = 2,
}

export interface GraphNode {
  /** Position in VisibleTree.nodes (pre-order). */
  readonly id: number;
  readonly kind: NodeKind;
  /**
   * Stable across runs of the same test (a hash of the services and names on the path from the root). A group's
   * key expands it; a stub's key is the one that unfolds its parent.
   */
  readonly key: string;
  /** Span indices this node stands for, ascending: one for a span, the members of a group, none for a stub. */
  readonly spans: readonly number[];
  readonly parent: GraphNode | undefined;
  readonly children: GraphNode[];
  readonly depth: number;
  /** On the first member of an expanded group: the group's key (which collapses it again) and size. */
  readonly collapse: { key: string; count: number } | undefined;
  /** On a stub: how many spans it hides. */
  readonly hidden: number;
}

export interface VisibleTree {
  readonly nodes: readonly GraphNode[];
  /** Per span index: the node that shows the span (its own node, its group, or the stub that hides it). */
  readonly nodeOfSpan: Int32Array;
}

/**
 * Each span's (service, name) as a number, with a hash per number: numbered on first use, once per trace, so
 * spans inside folded subtrees cost nothing.
 */
export class Signatures {
  private readonly numbers: Int32Array;
  private readonly byService: Array<Map<string, number>>;
  readonly hashA: number[] = [];
  readonly hashB: number[] = [];

  constructor(
    private readonly trace: Trace,
    private readonly services: readonly string[],
    private readonly serviceOf: Uint16Array,
  ) {
    this.numbers = new Int32Array(trace.spans.length).fill(-1);
    this.byService = services.map(() => new Map<string, number>());
  }

  of(span: number): number {
    let n = this.numbers[span]!;
    if (n >= 0) return n;
    const name = this.trace.spans[span]!.name;
    const service = this.serviceOf[span]!;
    const numbers = this.byService[service]!;
    n = numbers.get(name) ?? -1;
    if (n < 0) {
      n = this.hashA.length;
      numbers.set(name, n);
      const text = `${this.services[service]}\u001f${name}`;
      this.hashA.push(hashText(text, 0x811c9dc5, 0x01000193));
      this.hashB.push(hashText(text, 0x050c5d1f, 0x5bd1e995));
    }
    this.numbers[span] = n;
    return n;
  }
}

/** A node of the aggregated tree, before folding; its children are aggregated when first asked for. */
interface Aggregate {
  spans: number[];
  /** The two halves of the 64-bit key. */
  a: number;
  b: number;
  group: boolean;
  collapse: GraphNode['collapse'];
  children: Aggregate[] | undefined;
}

/** `expanded` holds the keys of expanded groups and of unfolded stubs. */
export function buildVisibleTree(trace: Trace, signatures: Signatures, expanded: ReadonlySet<string>): VisibleTree {
  return new TreeBuilder(trace, signatures, expanded).build();
}

/** Steps of a path that are not a (service, name): a member of an expanded group by position, and unfolding. */
const MEMBER_STEP = 0x27d4eb2f;
const UNFOLD_STEP = 0x165667b1;

class TreeBuilder {
  private readonly nodes: GraphNode[] = [];
  private readonly nodeOfSpan: Int32Array;
  /** Reused while aggregating one node's children: the group slot of each signature, stamped by node. */
  private readonly slotOf: number[] = [];
  private readonly stampOf: number[] = [];
  private stamp = 0;

  constructor(
    private readonly trace: Trace,
    private readonly signatures: Signatures,
    private readonly expanded: ReadonlySet<string>,
  ) {
    this.nodeOfSpan = new Int32Array(trace.spans.length);
  }

  build(): VisibleTree {
    const s = this.signatures.of(0);
    const root: Aggregate = {
      spans: [0],
      a: mix(0x9e3779b9, this.signatures.hashA[s]!, 0x85ebca77),
      b: mix(0x7f4a7c15, this.signatures.hashB[s]!, 0xc2b2ae3d),
      group: false,
      collapse: undefined,
      children: undefined,
    };
    this.fold(root);
    return { nodes: this.nodes, nodeOfSpan: this.nodeOfSpan };
  }

  private childrenOf(node: Aggregate): Aggregate[] {
    if (node.children) return node.children;
    const { spans } = this.trace;
    const { signatures } = this;
    const children: Aggregate[] = [];
    const lists: number[][] = [];
    const stamp = ++this.stamp;
    for (const m of node.spans) {
      for (const child of spans[m]!.children) {
        const sig = signatures.of(child.index);
        if (this.stampOf[sig] !== stamp) {
          this.stampOf[sig] = stamp;
          this.slotOf[sig] = lists.push([]) - 1;
        }
        lists[this.slotOf[sig]!]!.push(child.index);
      }
    }
    for (const list of lists) {
      const sig = signatures.of(list[0]!);
      const a = mix(node.a, signatures.hashA[sig]!, 0x85ebca77);
      const b = mix(node.b, signatures.hashB[sig]!, 0xc2b2ae3d);
      if (list.length === 1 || (list.length >= GROUP_MIN && !this.expanded.has(keyText(a, b)))) {
        children.push({ spans: list, a, b, group: list.length > 1, collapse: undefined, children: undefined });
        continue;
      }
      const collapse = list.length >= GROUP_MIN ? { key: keyText(a, b), count: list.length } : undefined;
      list.forEach((s, j) => {
        const step = Math.imul(j + 1, MEMBER_STEP);
        children.push({
          spans: [s],
          a: mix(a, step, 0x85ebca77),
          b: mix(b, step, 0xc2b2ae3d),
          group: false,
          collapse: j === 0 ? collapse : undefined,
          children: undefined,
        });
      });
    }
    // Groups were collected by first appearance; members of expanded groups interleave with the rest in time.
    if (lists.length > 1) children.sort((x, y) => x.spans[0]! - y.spans[0]!);
    node.children = children;
    return children;
  }

  /** How many levels below `top` to show: all of them if they fit in the budget, and always the first. */
  private levelsToShow(top: Aggregate): number {
    let count = 1;
    let level = [top];
    for (let levels = 0; ; levels++) {
      const next: Aggregate[] = [];
      for (const node of level) for (const child of this.childrenOf(node)) next.push(child);
      if (next.length === 0) return Infinity;
      if (levels >= 1 && count + next.length > FOLD_BUDGET) return levels;
      count += next.length;
      level = next;
    }
  }

  /** Emits `root` and what is shown of its subtree, in pre-order. */
  private fold(root: Aggregate): void {
    const { spans } = this.trace;
    interface Frame {
      agg: Aggregate;
      parent: GraphNode | undefined;
      depth: number;
      /** Deepest depth shown in the region this node belongs to. */
      lastDepth: number;
    }
    const stack: Frame[] = [{ agg: root, parent: undefined, depth: 0, lastDepth: this.levelsToShow(root) }];
    for (let frame = stack.pop(); frame; frame = stack.pop()) {
      const { agg, parent, depth } = frame;
      const node = this.add({
        kind: agg.group ? NodeKind.Group : NodeKind.Span,
        key: keyText(agg.a, agg.b),
        spans: agg.spans,
        parent,
        depth,
        collapse: agg.collapse,
        hidden: 0,
      });
      for (const s of agg.spans) this.nodeOfSpan[s] = node.id;
      if (!agg.spans.some((s) => spans[s]!.children.length > 0)) continue;
      let lastDepth = frame.lastDepth;
      if (depth === lastDepth) {
        const key = keyText(mix(agg.a, UNFOLD_STEP, 0x85ebca77), mix(agg.b, UNFOLD_STEP, 0xc2b2ae3d));
        if (!this.expanded.has(key)) {
          let hidden = 0;
          for (const s of agg.spans) hidden += spans[s]!.subtreeEnd - s;
          const stub = this.add({ kind: NodeKind.Stub, key, spans: [], parent: node, depth: depth + 1, collapse: undefined, hidden });
          for (const s of agg.spans) this.nodeOfSpan.fill(stub.id, s + 1, spans[s]!.subtreeEnd + 1);
          continue;
        }
        lastDepth = depth + this.levelsToShow(agg);
      }
      const children = this.childrenOf(agg);
      for (let i = children.length - 1; i >= 0; i--) stack.push({ agg: children[i]!, parent: node, depth: depth + 1, lastDepth });
    }
  }

  private add(fields: Omit<GraphNode, 'id' | 'children'>): GraphNode {
    const { kind, key, spans, parent, depth, collapse, hidden } = fields;
    const node: GraphNode = { id: this.nodes.length, kind, key, spans, parent, children: [], depth, collapse, hidden };
    this.nodes.push(node);
    parent?.children.push(node);
    return node;
  }
}

/** One step of a path hash: the parent's half-key and the step's hash, mixed (murmur3's finaliser). */
function mix(parent: number, step: number, multiplier: number): number {
  let h = Math.imul((parent << 13) | (parent >>> 19), 5) ^ step;
  h = Math.imul(h ^ (h >>> 16), multiplier);
  h = Math.imul(h ^ (h >>> 13), 0x27d4eb2f);
  return (h ^ (h >>> 16)) >>> 0;
}

function hashText(text: string, seed: number, prime: number): number {
  let h = seed;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), prime);
  return h >>> 0;
}

function keyText(a: number, b: number): string {
  return `${a}.${b}`;
}
