// The selected span in full: what it is, how the test and the analyzer judged it, the assert form, then every
// attribute (span, resource, scope, synthesized) with an `Assert` action, its events and links.
import type { Span } from '../src/core/trace/model';
import type { RevealLineMessage } from '../src/protocol';
import { spanFindings } from './analyzer';
import { AssertForm, type AssertFormHost } from './assert-form';
import { breakable, custom, el } from './dom';
import { specLink } from './failures';
import { failureText, formatMs, isErrorSpan, serviceName, spanType, type PanelModel } from './model';
import { spanProblems } from './trace-problems';

export interface DetailsHost extends AssertFormHost {
  post(message: RevealLineMessage | Parameters<AssertFormHost['post']>[0]): void;
  /** Select and reveal a span (a link, a parent). */
  goTo(spanIndex: number): void;
}

/** Attributes computed from the span itself rather than reported by the SDK. */
const SYNTHESIZED = /^tracetest\.(span|selected_spans)\./;
const LONG_VALUE = 400;

export class SpanDetails {
  readonly element = el('div', { className: 'details', attrs: { 'aria-label': 'Span details' } });
  readonly form: AssertForm;
  private readonly body = el('div', { className: 'details-body' });
  /**
   * What comes before and after the assert form, which stays in place from one span to the next: taken out and put
   * back, its controls (a vscode-single-select) would measure themselves again, forcing a layout of the whole page.
   */
  private readonly above = el('div', { className: 'details-part' });
  private readonly below = el('div', { className: 'details-part' });
  private readonly placeholder = el('p', {
    className: 'details-empty',
    text: 'Select a span in the graph or the timeline to see its attributes and assert on it.',
  });

  constructor(private readonly host: DetailsHost) {
    this.form = new AssertForm(host);
    // The form's controls draw themselves once, as the page starts, rather than on the first span selected.
    this.body.append(this.above, this.form.element, this.below);
    this.body.hidden = true;
    this.element.append(this.placeholder, this.body);
  }

  clear(): void {
    this.above.replaceChildren();
    this.below.replaceChildren();
    this.body.hidden = true;
    this.placeholder.hidden = false;
    delete this.element.dataset.spanId;
  }

  show(model: PanelModel, span: Span): void {
    this.placeholder.hidden = true;
    this.element.dataset.spanId = span.id;
    this.form.setSpan(model, span);
    this.above.replaceChildren(this.header(model, span), ...this.results(model, span), ...spanFindings(model, span.index));
    this.below.replaceChildren(...this.attributeSections(span), ...this.events(span), ...this.links(model, span));
    this.body.hidden = false;
    this.body.scrollTop = 0;
  }

  private header(model: PanelModel, span: Span): HTMLElement {
    const ms = model.endMs[span.index]! - model.startMs[span.index]!;
    const facts = [
      ['service', serviceName(span)],
      ['type', spanType(span)],
      ['kind', span.kind],
      ['duration', formatMs(ms)],
      ['starts at', `+${formatMs(model.startMs[span.index]!)}`],
    ];
    const parent = span.parent;
    return el(
      'header',
      { className: 'details-header' },
      el('h2', { className: 'span-name', text: span.name }),
      el('dl', { className: 'facts' }, ...facts.flatMap(([k, v]) => [el('dt', { text: k! }), el('dd', { text: v! })])),
      isErrorSpan(span) && el('p', { className: 'span-error', text: `Error${span.status.message ? `: ${span.status.message}` : ''}` }),
      ...spanProblems(model, span).map((message) => el('p', { className: 'span-warning', attrs: { role: 'note' }, text: `⚠ ${message}` })),
      parent && this.spanLink(`parent: ${parent.name}`, parent.index),
    );
  }

  /** Failing assertions on this span first, then specs that selected it and passed. */
  private results(model: PanelModel, span: Span): HTMLElement[] {
    const failures = model.failures.get(span.index) ?? [];
    const passedSpecs = model.specs.filter((s) => s.status === 'passed' && s.spanIds.includes(span.id));
    if (failures.length === 0 && passedSpecs.length === 0) return [];
    const items = [
      ...failures.map((f) =>
        el(
          'li',
          { className: `result ${f.status}` },
          el('span', { className: 'result-icon', text: f.status === 'failed' ? '✗' : '!' }),
          el('code', { text: f.assertion }),
          el('span', { className: 'observed', text: failureText(f) }),
          this.lineLink(f.line),
        ),
      ),
      ...passedSpecs.map((s) =>
        el('li', { className: 'result passed' }, el('span', { className: 'result-icon', text: '✓' }), specLink(s, this.host), this.lineLink(s.line)),
      ),
    ];
    return [
      el(
        'section',
        { className: 'span-results', attrs: { 'aria-label': 'Test results on this span' } },
        el('h3', { text: 'Test results' }),
        el('ul', {}, ...items),
      ),
    ];
  }

  private attributeSections(span: Span): HTMLElement[] {
    const own = [...span.attributes].filter(([k]) => !SYNTHESIZED.test(k));
    const synthesized = [...span.flat].filter(([k]) => SYNTHESIZED.test(k) || k === 'span.events');
    const scope: Array<[string, string]> = [...span.scope.attributes];
    const sections: Array<[string, Array<[string, string]>, string?]> = [
      ['Span attributes', own],
      ['Resource', [...span.resource]],
      ['Scope', scope, span.scope.name ? `${span.scope.name}${span.scope.version ? ` ${span.scope.version}` : ''}` : undefined],
      ['Synthesized', synthesized],
    ];
    return sections
      .filter(([, rows, note]) => rows.length > 0 || note)
      .map(([title, rows, note]) =>
        custom(
          'vscode-collapsible',
          { className: 'attributes', attrs: { heading: `${title} (${rows.length})`, open: '' } },
          note && el('p', { className: 'scope-name', text: note }),
          el('div', { className: 'attribute-rows', attrs: { role: 'table', 'aria-label': title } }, ...rows.map(([k, v]) => this.attributeRow(k, v))),
        ),
      );
  }

  private attributeRow(key: string, value: string): HTMLElement {
    const shown = value.length > LONG_VALUE ? `${value.slice(0, LONG_VALUE)}…` : value;
    const assert = custom('vscode-button', { className: 'assert-attribute', text: 'Assert', attrs: { secondary: '', 'aria-label': `Assert on ${key}` } });
    assert.addEventListener('click', () => this.form.assertOn(key));
    const valueCell = el('span', { className: 'attribute-value', text: shown, attrs: { role: 'cell' }, title: value.length > LONG_VALUE ? value : '' });
    return el(
      'div',
      { className: 'attribute-row', attrs: { role: 'row', 'data-attribute': key } },
      el('span', { className: 'attribute-key', attrs: { role: 'cell' } }, breakable(key)),
      valueCell,
      assert,
    );
  }

  private events(span: Span): HTMLElement[] {
    if (span.events.length === 0) return [];
    const t0 = span.startTime;
    return [
      custom(
        'vscode-collapsible',
        { className: 'events', attrs: { heading: `Events (${span.events.length})`, open: '' } },
        ...span.events.map((e) =>
          el(
            'div',
            { className: 'event' },
            el(
              'div',
              { className: 'event-head' },
              el('strong', { text: e.name }),
              el('span', { className: 'muted', text: ` +${formatMs(Number(e.time - t0) / 1e6)}` }),
            ),
            ...[...e.attributes].map(([k, v]) =>
              el(
                'div',
                { className: 'event-attribute' },
                el('span', { className: 'attribute-key' }, breakable(k)),
                el('span', { className: 'attribute-value', text: v }),
              ),
            ),
          ),
        ),
      ),
    ];
  }

  private links(model: PanelModel, span: Span): HTMLElement[] {
    if (span.links.length === 0) return [];
    return [
      custom(
        'vscode-collapsible',
        { className: 'links', attrs: { heading: `Links (${span.links.length})`, open: '' } },
        ...span.links.map((l) => {
          const target = l.traceId === model.trace.traceId ? model.trace.byId.get(l.spanId) : undefined;
          return el(
            'div',
            { className: 'link' },
            target ? this.spanLink(`${target.name} (this trace)`, target.index) : el('code', { text: `${l.traceId} / ${l.spanId}` }),
            ...[...l.attributes].map(([k, v]) =>
              el(
                'div',
                { className: 'event-attribute' },
                el('span', { className: 'attribute-key' }, breakable(k)),
                el('span', { className: 'attribute-value', text: v }),
              ),
            ),
          );
        }),
      ),
    ];
  }

  private spanLink(text: string, index: number): HTMLElement {
    const a = el('a', { className: 'span-link', text, attrs: { href: '#', 'data-span-index': String(index) } });
    a.addEventListener('click', (e) => {
      e.preventDefault();
      this.host.goTo(index);
    });
    return a;
  }

  private lineLink(line: number): HTMLElement {
    const a = el('a', { className: 'line-link', text: `line ${line}`, attrs: { href: '#' } });
    a.addEventListener('click', (e) => {
      e.preventDefault();
      this.host.post({ type: 'revealLine', line });
    });
    return a;
  }
}
