// The hover card: a node's name, service and duration (a group's count, total and mean), positioned next to the
// pointer inside the view. Text only through textContent; position through CSSOM.
import { formatMs, type PanelModel } from '../../model';
import type { NodeFacts } from './node-facts';
import { NodeKind, type GraphNode } from './visible-tree';

const OFFSET = 14;

export class Tooltip {
  readonly element: HTMLDivElement;

  constructor() {
    this.element = document.createElement('div');
    this.element.className = 'graph-tooltip';
    this.element.setAttribute('aria-hidden', 'true');
    this.element.hidden = true;
  }

  show(node: GraphNode, model: PanelModel, facts: NodeFacts, clientX: number, clientY: number): void {
    const lines = tooltipLines(node, model, facts);
    this.element.replaceChildren(
      ...lines.map((text, i) => {
        const line = document.createElement('div');
        line.className = i === 0 ? 'graph-tooltip-title' : 'graph-tooltip-line';
        line.textContent = text;
        return line;
      }),
    );
    this.element.hidden = false;
    const container = this.element.offsetParent?.getBoundingClientRect();
    if (!container) return;
    const left = Math.min(clientX - container.left + OFFSET, container.width - this.element.offsetWidth - 4);
    const top =
      clientY - container.top + OFFSET + this.element.offsetHeight > container.height
        ? clientY - container.top - OFFSET - this.element.offsetHeight
        : clientY - container.top + OFFSET;
    this.element.style.left = `${Math.max(4, left)}px`;
    this.element.style.top = `${Math.max(4, top)}px`;
  }

  hide(): void {
    this.element.hidden = true;
  }
}

function tooltipLines(node: GraphNode, model: PanelModel, facts: NodeFacts): string[] {
  if (node.kind === NodeKind.Stub) return [`${node.hidden} more spans`, 'Click to show them'];
  const span = model.trace.spans[node.spans[0]!]!;
  const service = model.services[model.serviceOf[span.index]!] ?? '';
  const total = facts.totalMs[node.id]!;
  if (node.kind === NodeKind.Span) return [span.name, service, formatMs(total)];
  const count = node.spans.length;
  return [span.name, service, `${count} spans, total ${formatMs(total)}, mean ${formatMs(total / count)}`, 'Double-click or click the badge to expand'];
}
