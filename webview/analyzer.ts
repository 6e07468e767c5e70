// The analyzer's verdict on the trace, in the side: the score, the required gates it failed, each plugin with its
// rules (passed, failed, a warning, disabled). A failed rule highlights the spans it failed on in the views (through
// the selector bar's highlight) and lists them, each going to its span.
import type { RuleResult } from '../src/core/analyzer/result';
import { custom, el } from './dom';
import type { PanelModel } from './model';

/** Spans listed under a failed rule; the highlight shows them all. */
const LISTED = 20;

export interface AnalyzerHost {
  /** Highlight the rule's failing spans and go to the first, or clear the highlight (the rule is already shown). */
  toggleRule(rule: RuleResult): void;
  goTo(spanIndex: number): void;
}

export function analyzerSection(model: PanelModel, host: AnalyzerHost): HTMLElement | undefined {
  const analyzer = model.analyzer;
  if (!analyzer) return undefined;
  const rules = analyzer.plugins.flatMap((p) => p.rules);
  const failed = rules.filter((r) => !r.passed);
  const gates = model.gates.filter((g) => !g.passed && g.gate !== 'test-specs');
  const minimum = analyzer.minimumScore > 0 ? ` (minimum ${analyzer.minimumScore})` : '';
  return custom(
    'vscode-collapsible',
    {
      className: `analyzer${gates.length > 0 ? ' gate-failed' : ''}`,
      attrs: {
        heading: `Analyzer · score ${analyzer.score}/100${minimum}`,
        description: failed.length === 0 ? 'every rule passed' : `${failed.length} of ${rules.filter((r) => r.level !== 'disabled').length} rules failed`,
        // Open when the analyzer is why the test failed.
        ...(gates.length > 0 ? { open: '' } : {}),
      },
    },
    ...gates.map((g) => el('p', { className: 'gate-failure', attrs: { role: 'note' }, text: `✗ required gate ${g.gate}: ${g.message ?? 'failed'}` })),
    ...analyzer.plugins.map((plugin) =>
      el(
        'section',
        { className: 'analyzer-plugin', attrs: { 'data-plugin': plugin.id, 'aria-label': plugin.name } },
        el('h4', {}, plugin.name, ' ', el('span', { className: 'plugin-score', text: `${plugin.score}` })),
        el('ul', {}, ...plugin.rules.map((rule) => ruleRow(model, rule, host))),
      ),
    ),
  );
}

/** Marks the rule whose spans are highlighted (none: undefined). */
export function markActiveRule(section: HTMLElement | undefined, ruleId: string | undefined): void {
  for (const button of section?.querySelectorAll<HTMLElement>('.rule-highlight') ?? []) {
    button.setAttribute('aria-pressed', String(button.dataset.rule === ruleId));
  }
}

function ruleRow(model: PanelModel, rule: RuleResult, host: AnalyzerHost): HTMLElement {
  const state = rule.level === 'disabled' ? 'disabled' : rule.passed ? 'passed' : rule.level === 'warning' ? 'warning' : 'failed';
  const icon = { passed: '✓', failed: '✗', warning: '⚠', disabled: '–' }[state];
  const n = rule.failures.length;
  const note =
    state === 'disabled'
      ? 'disabled'
      : state === 'passed'
        ? 'passed'
        : `${n.toLocaleString('en-US')} span${n === 1 ? '' : 's'}${state === 'warning' ? ' · warning' : ''}`;
  if (rule.passed) {
    return el(
      'li',
      { className: `analyzer-rule ${state}`, attrs: { 'data-rule': rule.id }, title: rule.description },
      el('span', { className: 'result-icon', text: icon }),
      el('span', { text: rule.name }),
      el('span', { className: 'observed', text: note }),
    );
  }
  const toggle = el('a', {
    className: 'rule-highlight',
    text: rule.name,
    title: `${rule.description}. Highlight the spans it failed on`,
    attrs: { href: '#', role: 'button', 'aria-pressed': 'false', 'data-rule': rule.id },
  });
  toggle.addEventListener('click', (e) => {
    e.preventDefault();
    host.toggleRule(rule);
  });
  const spans = rule.failures.slice(0, LISTED).map((f) => {
    const span = model.trace.byId.get(f.spanId);
    const go = el('a', { className: 'rule-span', text: span?.name ?? f.spanId, attrs: { href: '#', 'data-span-id': f.spanId } });
    go.addEventListener('click', (e) => {
      e.preventDefault();
      if (span) host.goTo(span.index);
    });
    return el('li', {}, go, ' ', el('span', { className: 'observed', text: f.errors.join('; ') }));
  });
  if (n > LISTED) spans.push(el('li', { className: 'muted', text: `and ${(n - LISTED).toLocaleString('en-US')} more` }));
  return el(
    'li',
    { className: `analyzer-rule ${state}`, attrs: { 'data-rule': rule.id } },
    el('span', { className: 'result-icon', text: icon }),
    toggle,
    el('span', { className: 'observed', text: note }),
    el('ul', { className: 'rule-spans' }, ...spans),
  );
}

/** The analyzer's findings on one span, for its details. */
export function spanFindings(model: PanelModel, spanIndex: number): HTMLElement[] {
  const found = model.ruleFailures.get(spanIndex);
  if (!found || found.length === 0) return [];
  return [
    el(
      'section',
      { className: 'span-analyzer', attrs: { 'aria-label': 'Analyzer findings on this span' } },
      el('h3', { text: 'Analyzer' }),
      el(
        'ul',
        {},
        ...found.map(({ rule, errors }) =>
          el(
            'li',
            { className: `result ${rule.level === 'warning' ? 'warning' : 'failed'}`, attrs: { 'data-rule': rule.id } },
            el('span', { className: 'result-icon', text: rule.level === 'warning' ? '⚠' : '✗' }),
            el('strong', { text: rule.name }),
            el('span', { className: 'observed', text: errors.join('; ') }),
          ),
        ),
      ),
    ),
  ];
}
