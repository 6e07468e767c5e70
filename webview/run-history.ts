// The test's stored runs in the panel: a picker in the header that switches the panel to an earlier run, the
// "Compare with last pass" toggle (offered when the run shown did not pass and an earlier one did), and the list of
// what changed since that pass, each item going to its span.
import type { ComparisonMessage, PanelDifferenceKind, PanelRun, RunsMessage, WebviewMessage } from '../src/protocol';
import { custom, el, setValue, valueOf } from './dom';
import { formatMs, type PanelModel } from './model';

export interface RunHistoryHost {
  post(message: WebviewMessage): void;
  /** Comparing stopped: the differences and their highlight go. */
  stopComparing(): void;
}

export class RunPicker {
  private readonly select = custom('vscode-single-select', { className: 'run-picker', attrs: { 'aria-label': 'Run' } });
  private readonly compare = custom('vscode-button', { className: 'compare-toggle', text: 'Compare with last pass', attrs: { secondary: '' } });
  readonly element = el('div', { className: 'run-history', attrs: { hidden: '' } }, this.select, this.compare);
  private shownId = '';
  private comparing = false;

  constructor(private readonly host: RunHistoryHost) {
    this.select.addEventListener('change', () => {
      const id = valueOf(this.select);
      if (id && id !== this.shownId) this.host.post({ type: 'showRun', id });
    });
    this.compare.addEventListener('click', () => {
      this.setComparing(!this.comparing);
      this.host.post({ type: 'compare', on: this.comparing });
      if (!this.comparing) this.host.stopComparing();
    });
  }

  /** The runs there are, the one shown, and whether it can be compared with a pass. */
  setRuns(message: RunsMessage): void {
    this.shownId = message.shownId;
    // The select reads new options after a slot change, too late for a value set now: the shown run is marked selected.
    this.select.replaceChildren(
      ...message.runs.map((r) => custom('vscode-option', { text: runLabel(r), attrs: { value: r.id, ...(r.id === message.shownId ? { selected: '' } : {}) } })),
    );
    setValue(this.select, message.shownId);
    this.select.hidden = message.runs.length < 2;
    this.compare.hidden = message.lastPassAt === undefined;
    if (message.lastPassAt !== undefined) this.compare.title = `The trace against the last run that passed (${when(message.lastPassAt)})`;
    this.setComparing(message.comparing);
    this.element.hidden = this.select.hidden && this.compare.hidden;
  }

  clear(): void {
    this.element.hidden = true;
    this.setComparing(false);
  }

  private setComparing(on: boolean): void {
    this.comparing = on;
    this.compare.toggleAttribute('secondary', !on);
    this.compare.setAttribute('aria-pressed', String(on));
  }
}

const ICONS: Record<PanelDifferenceKind, string> = { missing: '−', added: '+', count: '×', attributes: '≠', duration: '⏱' };

/** What changed since the last pass, each item selecting its span; undefined when the comparison is for another trace. */
export function comparisonSection(message: ComparisonMessage, model: PanelModel, goTo: (spanIndex: number) => void): HTMLElement {
  const n = message.differences.length;
  const heading = el('h3', { text: `Since the last pass (${when(message.lastPassAt)})` });
  const section = el('section', { className: 'comparison', attrs: { 'aria-label': 'Since the last pass' } }, heading);
  if (message.error) section.append(el('p', { className: 'comparison-note', text: message.error }));
  else if (n === 0) section.append(el('p', { className: 'comparison-note', text: 'No difference in spans, the selected spans’ attributes or durations.' }));
  const rows = message.differences.map((d) => {
    const span = model.trace.byId.get(d.spanIds[0] ?? '');
    const text = el('a', { className: 'difference-text', text: d.text, attrs: { href: '#' } });
    text.addEventListener('click', (e) => {
      e.preventDefault();
      if (span) goTo(span.index);
    });
    const where = d.kind === 'missing' && span ? el('span', { className: 'observed', text: ` under ${span.name}` }) : undefined;
    return el(
      'li',
      { className: `difference ${d.kind}`, attrs: { 'data-kind': d.kind } },
      el('span', { className: 'difference-icon', text: ICONS[d.kind], title: d.kind }),
      text,
      where,
    );
  });
  if (rows.length > 0) section.append(el('ul', {}, ...rows));
  return section;
}

/** The spans the differences are about (a missing span's nearest ancestor), by index: what is highlighted. */
export function differenceSpans(message: ComparisonMessage, model: PanelModel): number[] {
  const out = new Set<number>();
  for (const d of message.differences)
    for (const id of d.spanIds) {
      const span = model.trace.byId.get(id);
      if (span) out.add(span.index);
    }
  return [...out].sort((a, b) => a - b);
}

function runLabel(r: PanelRun): string {
  const icon = r.status === 'passed' ? '✓' : r.status === 'failed' ? '✗' : '!';
  const specs = r.failedSpecs > 0 ? `${r.failedSpecs}/${r.specs} specs failed` : `${r.specs} specs passed`;
  return `${icon} ${when(r.at)} · ${specs} · ${formatMs(r.durationMs)}`;
}

/** The time of day, with the date when it is not today. */
function when(at: number): string {
  const date = new Date(at);
  const time = date.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' });
  return date.toDateString() === new Date().toDateString() ? time : `${date.toLocaleDateString()} ${time}`;
}
