// A failed run's failing assertions in one list above the details: each names its spec, what was observed against
// what was expected, and goes to its span (and its line in the test file).
import type { RevealLineMessage } from '../src/protocol';
import { el } from './dom';
import { failureText, type PanelModel } from './model';

export interface FailuresHost {
  goTo(spanIndex: number): void;
  post(message: RevealLineMessage): void;
  showSelector(selector: string): void;
}

/** A spec's name that puts its selector in the selector bar, so its spans light up in the views. */
export function specLink(spec: { name?: string; selector: string }, host: Pick<FailuresHost, 'showSelector'>): HTMLElement {
  const link = el('a', { className: 'failure-spec', text: spec.name ?? spec.selector, title: `Highlight ${spec.selector}`, attrs: { href: '#' } });
  link.addEventListener('click', (e) => {
    e.preventDefault();
    host.showSelector(spec.selector);
  });
  return link;
}

export function failureList(model: PanelModel, host: FailuresHost): HTMLElement | undefined {
  const rows: HTMLElement[] = [];
  for (const [index, failures] of [...model.failures].sort((a, b) => a[0] - b[0])) {
    const span = model.trace.spans[index]!;
    for (const f of failures) {
      const go = el('a', { className: 'failure-span', text: span.name, attrs: { href: '#', 'data-span-id': span.id } });
      go.addEventListener('click', (e) => {
        e.preventDefault();
        host.goTo(index);
      });
      const line = el('a', { className: 'line-link', text: `line ${f.line}`, attrs: { href: '#' } });
      line.addEventListener('click', (e) => {
        e.preventDefault();
        host.post({ type: 'revealLine', line: f.line });
      });
      rows.push(
        el(
          'li',
          { className: `failure ${f.status}` },
          el('div', {}, el('span', { className: 'result-icon', text: f.status === 'failed' ? '✗' : '!' }), specLink(f.spec, host), ' · ', go),
          el('code', { className: 'failure-assertion', text: f.assertion }),
          el('div', { className: 'observed' }, failureText(f), ' ', line),
        ),
      );
    }
  }
  // Specs that failed without a span to point at (nothing matched, a broken selector).
  for (const spec of model.specs) {
    if (spec.status === 'passed') continue;
    const unplaced = spec.selectorError ?? (spec.spanIds.length === 0 ? `no span matched ${spec.selector}` : undefined);
    if (!unplaced) continue;
    const line = el('a', { className: 'line-link', text: `line ${spec.line}`, attrs: { href: '#' } });
    line.addEventListener('click', (e) => {
      e.preventDefault();
      host.post({ type: 'revealLine', line: spec.line });
    });
    rows.push(el('li', { className: `failure ${spec.status}` }, specLink(spec, host), el('div', { className: 'observed' }, unplaced, ' ', line)));
  }
  if (rows.length === 0) return undefined;
  return el(
    'section',
    { className: 'failures', attrs: { 'aria-label': 'Failing assertions' } },
    el('h3', { text: `${rows.length} failing assertion${rows.length === 1 ? '' : 's'}` }),
    el('ul', {}, ...rows),
  );
}
