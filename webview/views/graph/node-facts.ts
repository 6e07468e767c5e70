// What a node says about the spans it stands for, computed once per visible tree (errors, the test's verdict,
// duration) or per highlight (matches), in one pass over the spans through `nodeOfSpan`, so a 100k-span trace
// costs a millisecond or two and nothing is laid out again.
import { formatMs, isErrorSpan, serviceName, spanType, TestMark, type PanelModel } from '../../model';
import type { Palette } from '../../theme';
import { ICON_SIZE } from './geometry';
import type { Highlight } from '../span-view';
import { NodeKind, type GraphNode, type VisibleTree } from './visible-tree';

export interface NodeFacts {
  /** Per node: spans with status ERROR among its spans (a stub: among those it hides). */
  errors: Uint32Array;
  /** Per node: the worst TestMark among its spans (a stub: among those it hides). */
  marks: Uint8Array;
  /** Per node: the sum of its spans' durations (ms); 0 for a stub. */
  totalMs: Float64Array;
}

export function nodeFacts(tree: VisibleTree, model: PanelModel): NodeFacts {
  const n = tree.nodes.length;
  const facts: NodeFacts = { errors: new Uint32Array(n), marks: new Uint8Array(n), totalMs: new Float64Array(n) };
  const spans = model.trace.spans;
  for (let i = 0; i < spans.length; i++) {
    const node = tree.nodeOfSpan[i]!;
    if (isErrorSpan(spans[i]!)) facts.errors[node]!++;
    if (model.marks[i]! > facts.marks[node]!) facts.marks[node] = model.marks[i]!;
    if (tree.nodes[node]!.kind !== NodeKind.Stub) facts.totalMs[node]! += model.endMs[i]! - model.startMs[i]!;
  }
  return facts;
}

/** Per node: how many of its spans match (a stub: of those it hides); undefined without a highlight. */
export function matchCounts(tree: VisibleTree, highlight: Highlight): Uint32Array | undefined {
  if (!highlight) return undefined;
  const counts = new Uint32Array(tree.nodes.length);
  const limit = Math.min(highlight.length, tree.nodeOfSpan.length);
  for (let i = 0; i < limit; i++) if (highlight[i] === 1) counts[tree.nodeOfSpan[i]!]!++;
  return counts;
}

const TYPE_WORDS: Readonly<Record<string, string>> = {
  http: 'HTTP',
  database: 'database',
  rpc: 'RPC',
  messaging: 'messaging',
  faas: 'function',
  exception: 'exception',
};
/**
 * Each span type's codicon (VS Code's icon font, @vscode/codicons, linked by the panel's page): its name and code
 * point, which codicons keep stable across releases. The renderers draw the character in the `codicon` font.
 */
const TYPE_ICONS: Readonly<Record<string, readonly [string, number]>> = {
  http: ['globe', 0xeb01],
  database: ['database', 0xeace],
  rpc: ['arrow-swap', 0xebcb],
  messaging: ['mail', 0xeb1c],
  faas: ['symbol-event', 0xea86],
  exception: ['bug', 0xeaaf],
  general: ['pulse', 0xeb31],
};

/** The font the type glyphs are drawn in (ICON_SIZE square), a little bigger than the node's first line. */
export const ICON_FONT = `${ICON_SIZE}px codicon`;

/** A span type's glyph and its name for people (`HTTP span`); undefined for a stub. */
export interface TypeIcon {
  /** The codicon's name (`globe`). */
  name: string;
  /** The character to draw in the codicon font. */
  glyph: string;
  label: string;
}

export function typeIcon(type: string): TypeIcon | undefined {
  if (!type) return undefined;
  const [name, code] = TYPE_ICONS[type] ?? TYPE_ICONS.general!;
  return { name, glyph: String.fromCodePoint(code), label: `${TYPE_WORDS[type] ?? 'general'} span` };
}
const MARK_WORDS = ['', 'passed', 'failed', 'errored'] as const;
export const MARK_GLYPHS = ['', '✓', '✗', '!'] as const;
/** Before the duration of a node with an ERROR span. */
export const ERROR_GLYPH = '⚠';

/** The test's verdict on a span or group (`✓`, `✗`, `!`), in its colour; undefined when the test did not look at it. */
export function markGlyph(facts: NodeFacts, id: number, palette: Palette): { text: string; colour: string } | undefined {
  const mark = facts.marks[id]! as TestMark;
  if (mark === TestMark.None) return undefined;
  return { text: MARK_GLYPHS[mark], colour: mark === TestMark.Passed ? palette.passed : palette.failed };
}

/** What a stub warns about among the spans it hides: errors and failed assertions (passes are not news). */
export function stubGlyph(facts: NodeFacts, id: number, palette: Palette): { text: string; colour: string } | undefined {
  const failed = facts.marks[id]! >= TestMark.Failed;
  const text = `${facts.errors[id]! > 0 ? ERROR_GLYPH : ''}${failed ? MARK_GLYPHS[facts.marks[id]! as TestMark] : ''}`;
  return text ? { text, colour: failed ? palette.failed : palette.error } : undefined;
}

/** The text a node shows, before it is fitted to the node's width. */
export interface NodeText {
  /** The span type (`http`, `database`, `general`…), shown as a glyph; empty for a stub. */
  type: string;
  service: string;
  /** Index into the palette's service colours; -1 for a stub. */
  serviceIndex: number;
  name: string;
  duration: string;
}

export function nodeText(node: GraphNode, model: PanelModel, facts: NodeFacts): NodeText {
  if (node.kind === NodeKind.Stub) return { type: '', service: '', serviceIndex: -1, name: `+${node.hidden} spans`, duration: '' };
  const first = node.spans[0]!;
  const span = model.trace.spans[first]!;
  const total = facts.totalMs[node.id]!;
  return {
    type: spanType(span),
    service: serviceName(span),
    serviceIndex: model.serviceOf[first]!,
    name: span.name,
    duration: node.kind === NodeKind.Group ? `Σ ${formatMs(total)}` : formatMs(total),
  };
}

/**
 * The pill on a node that toggles its group: on a group `×12 +`, `3 of 12 match +` or `#3 of 12 +` (the selected
 * span is its third); on the first member of an expanded group `×12 −`. Undefined for other nodes.
 */
export function badgeText(node: GraphNode, matches: number | undefined, selectedSpan: number | undefined): string | undefined {
  if (node.collapse) return `×${node.collapse.count} −`;
  if (node.kind !== NodeKind.Group) return undefined;
  const count = node.spans.length;
  const position = selectedSpan === undefined ? -1 : node.spans.indexOf(selectedSpan);
  if (position >= 0) return matches ? `#${position + 1} of ${count}, ${matches} match +` : `#${position + 1} of ${count} +`;
  return matches ? `${matches} of ${count} match +` : `×${count} +`;
}

/** What a screen reader says for a node: `gateway POST /orders, HTTP, 12 ms, error, failed`. */
export function describeNode(node: GraphNode, model: PanelModel, facts: NodeFacts, matches: number | undefined, selectedSpan: number | undefined): string {
  const parts: string[] = [];
  const text = nodeText(node, model, facts);
  if (node.kind === NodeKind.Stub) {
    parts.push(`${node.hidden} more spans`);
  } else {
    parts.push(`${text.service} ${text.name}`);
    const type = TYPE_WORDS[spanType(model.trace.spans[node.spans[0]!]!)];
    if (type) parts.push(type);
  }
  if (node.kind === NodeKind.Group) parts.push(`${node.spans.length} spans`, `total ${formatMs(facts.totalMs[node.id]!)}`);
  else if (node.kind === NodeKind.Span) parts.push(text.duration);
  const errors = facts.errors[node.id]!;
  if (errors > 0) parts.push(node.kind === NodeKind.Span ? 'error' : `${errors} with errors`);
  const mark = MARK_WORDS[facts.marks[node.id]! as TestMark];
  if (mark) parts.push(node.kind === NodeKind.Span ? mark : `test ${mark}`);
  if (matches) parts.push(node.kind === NodeKind.Span ? 'matches' : `${matches} match`);
  if (node.kind === NodeKind.Group && selectedSpan !== undefined) {
    const position = node.spans.indexOf(selectedSpan);
    if (position >= 0) parts.push(`span ${position + 1} selected`);
  }
  if (node.kind === NodeKind.Group) parts.push('Space expands');
  else if (node.kind === NodeKind.Stub) parts.push('Enter shows them');
  else if (node.collapse) parts.push(`first of ${node.collapse.count}, Space collapses them`);
  return parts.join(', ');
}
