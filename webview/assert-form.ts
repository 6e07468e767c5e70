// Click-to-assert in the panel: selector candidates that select exactly this span (core/selector/generate, each
// with its match count), the assertion for an attribute with its comparator and value editable and its result
// against this trace shown as it is typed, and the request to write it (or an output) into the test file.
import { checkAssertion } from '../src/core/engine/check-assertion';
import { COMPARATORS } from '../src/core/expression/ast';
import { assertionLiteral, describeChoice, outputNameFor, select, selectorChoices } from '../src/core/selector/index';
import { spanValue } from '../src/core/trace/build';
import type { Span } from '../src/core/trace/model';
import type { AddAssertionMessage, AddOutputMessage, WrittenMessage } from '../src/protocol';
import { breakable, custom, el, setValue, valueOf } from './dom';
import type { PanelModel } from './model';

export interface AssertFormHost {
  post(message: AddAssertionMessage | AddOutputMessage): void;
  /** The user picked or typed a selector: show what it selects (the selector bar highlights it). */
  showSelector(selector: string): void;
}

interface Choice {
  selector: string;
  note: string;
  /** The test already has a spec with this selector, and it selects only this span: the natural place to add. */
  ownSpec: boolean;
}

const OUTPUT_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export class AssertForm {
  readonly element = el('section', { className: 'assert-form', attrs: { 'aria-label': 'Assert on this span' } });
  private readonly choices = custom('vscode-radio-group', {
    className: 'selector-choices',
    attrs: { variant: 'vertical', 'aria-label': 'Selector for the spec' },
  });
  private readonly customSelector = custom('vscode-textfield', {
    className: 'custom-selector',
    attrs: { 'aria-label': 'Selector of your own', placeholder: 'or write a selector' },
  });
  private readonly customNote = el('div', { className: 'custom-note' });
  private readonly keyLabel = el('code', { className: 'assert-key' });
  private readonly comparator = custom('vscode-single-select', { className: 'assert-comparator', attrs: { 'aria-label': 'Comparator' } });
  private readonly value = custom('vscode-textfield', { className: 'assert-value', attrs: { 'aria-label': 'Expected value', spellcheck: 'false' } });
  private readonly check = el('div', { className: 'assert-check', attrs: { 'aria-live': 'polite' } });
  private readonly addButton = custom('vscode-button', { className: 'add-assertion', text: 'Add assertion' });
  private readonly outputName = custom('vscode-textfield', { className: 'output-name', attrs: { 'aria-label': 'Output name' } });
  private readonly addOutputButton = custom('vscode-button', { className: 'add-output', text: 'Add as output', attrs: { secondary: '' } });
  private readonly status = el('div', { className: 'write-status', attrs: { role: 'status' } });
  private readonly hint = el('p', { className: 'assert-hint', text: 'Choose Assert on an attribute below to write an assertion for it.' });
  private readonly editor = el('div', { className: 'assertion-editor', attrs: { hidden: '' } });
  private model: PanelModel | undefined;
  private span: Span | undefined;
  private key: string | undefined;
  private nextRequest = 1;
  private readonly pending = new Map<number, string>();

  constructor(private readonly host: AssertFormHost) {
    for (const c of COMPARATORS) this.comparator.append(custom('vscode-option', { text: c, attrs: { value: c } }));
    this.editor.append(
      el('div', { className: 'assertion-line' }, this.keyLabel, this.comparator, this.value),
      this.check,
      el('div', { className: 'assertion-actions' }, this.addButton),
      el('div', { className: 'output-line' }, el('label', { text: 'Output', attrs: { class: 'output-label' } }), this.outputName, this.addOutputButton),
    );
    this.element.append(
      el('h3', { text: 'Assert on this span' }),
      this.choices,
      el('div', { className: 'custom-selector-line' }, this.customSelector),
      this.customNote,
      this.hint,
      this.editor,
      this.status,
    );
    this.choices.addEventListener('change', () => {
      setValue(this.customSelector, '');
      this.refresh();
      const selector = this.selector();
      if (selector) this.host.showSelector(selector);
    });
    this.customSelector.addEventListener('input', () => {
      for (const r of this.radios()) (r as unknown as { checked: boolean }).checked = false;
      this.refresh();
      const typed = valueOf(this.customSelector).trim();
      if (typed && this.model && select(this.model.trace, typed).ok) this.host.showSelector(typed);
    });
    this.comparator.addEventListener('change', () => this.refresh());
    this.value.addEventListener('input', () => this.refresh());
    this.value.addEventListener('keydown', (e) => {
      if ((e as KeyboardEvent).key === 'Enter') this.submitAssertion();
    });
    this.outputName.addEventListener('input', () => this.refresh());
    this.addButton.addEventListener('click', () => this.submitAssertion());
    this.addOutputButton.addEventListener('click', () => this.submitOutput());
  }

  /**
   * A new span: fresh candidates, no attribute chosen. The same span again (a new run or re-check of the test arrived)
   * keeps what the user chose and typed, and the last write's status, re-judged against the new trace.
   */
  setSpan(model: PanelModel, span: Span): void {
    const same = this.span?.id === span.id;
    const chosen = same ? this.selector() : undefined;
    this.model = model;
    this.span = span;
    if (!same) {
      this.key = undefined;
      this.editor.hidden = true;
      this.hint.hidden = false;
      this.status.textContent = '';
      setValue(this.customSelector, '');
    }
    const choices = this.candidates(model, span);
    const kept = choices.findIndex((c) => c.selector === chosen);
    const checked =
      kept >= 0
        ? kept
        : Math.max(
            0,
            choices.findIndex((c) => c.ownSpec),
          );
    this.choices.replaceChildren(
      ...choices.map((c, i) =>
        custom(
          'vscode-radio',
          {
            className: 'selector-choice',
            attrs: { name: 'selector', value: c.selector, ...(i === checked && !valueOf(this.customSelector).trim() ? { checked: '' } : {}) },
          },
          el('code', { className: 'choice-selector', text: c.selector }),
          el('span', { className: 'choice-note', text: c.note }),
        ),
      ),
    );
    this.refresh();
  }

  /** `Assert` on an attribute row: propose `attr:<key> = <observed>`. */
  assertOn(key: string): void {
    const span = this.span;
    if (!span) return;
    const observed = spanValue(span, key) ?? '';
    this.key = key;
    this.keyLabel.replaceChildren(breakable(`attr:${key}`));
    setValue(this.comparator, '=');
    setValue(this.value, assertionLiteral(key, observed));
    setValue(this.outputName, outputNameFor(key));
    this.editor.hidden = false;
    this.hint.hidden = true;
    this.status.textContent = '';
    this.refresh();
    this.element.scrollIntoView({ block: 'nearest' });
    this.value.focus();
  }

  /** The extension's answer to an add request. */
  written(message: WrittenMessage): void {
    if (!this.pending.delete(message.requestId)) return;
    this.status.textContent = message.message;
    this.status.classList.toggle('failed', !message.ok);
    // The answer may land below the fold of a short side (a narrow panel): it is what the user waits for.
    this.status.scrollIntoView({ block: 'nearest' });
  }

  assertionText(): string | undefined {
    return this.key ? `attr:${this.key} ${valueOf(this.comparator) || '='} ${valueOf(this.value).trim()}` : undefined;
  }

  /** The chosen candidate, or the selector typed in the field when it selects this span. */
  selector(): string | undefined {
    const typed = valueOf(this.customSelector).trim();
    if (typed) return this.typedSelectorError(typed) ? undefined : typed;
    const checked = this.radios().find((r) => (r as unknown as { checked: boolean }).checked);
    return checked?.getAttribute('value') ?? undefined;
  }

  private radios(): HTMLElement[] {
    return [...this.choices.querySelectorAll<HTMLElement>('vscode-radio')];
  }

  /**
   * Generated candidates first (1–3, exact), then the test's own specs whose selectors select this span. The one
   * chosen at first is a spec of the test that selects just this span, if there is one (as Tracetest adds to it).
   */
  private candidates(model: PanelModel, span: Span): Choice[] {
    const specs = model.specs.map((s) => ({ selector: s.selector, ...(s.name !== undefined ? { name: s.name } : {}) }));
    return selectorChoices(model.trace, span, specs).map((c) => ({
      selector: c.selector,
      note: describeChoice(c),
      ownSpec: c.spec !== undefined && c.count === 1,
    }));
  }

  private typedSelectorError(text: string): string | undefined {
    if (!this.model || !this.span) return 'no span';
    const selected = select(this.model.trace, text);
    if (!selected.ok) return `column ${selected.error.column}: ${selected.error.message}`;
    if (!selected.value.includes(this.span)) return `does not select this span (matches ${selected.value.length})`;
    return undefined;
  }

  private refresh(): void {
    const typed = valueOf(this.customSelector).trim();
    if (typed && this.model && this.span) {
      const error = this.typedSelectorError(typed);
      const selected = select(this.model.trace, typed);
      this.customNote.textContent = error ?? (selected.ok ? `matches ${selected.value.length} span${selected.value.length === 1 ? '' : 's'}` : '');
      this.customNote.classList.toggle('failed', error !== undefined);
    } else this.customNote.textContent = '';
    const selector = this.selector();
    const assertion = this.assertionText();
    let canAdd = false;
    if (this.model && this.span && selector && assertion) {
      const result = checkAssertion(this.model.trace, this.span, selector, assertion, this.model.variables);
      this.check.textContent = result.message;
      this.check.classList.toggle('passes', result.ok && result.passes);
      this.check.classList.toggle('fails', !(result.ok && result.passes));
      canAdd = result.ok;
    } else {
      this.check.textContent = selector ? '' : 'Choose a selector that selects this span.';
      this.check.classList.remove('passes', 'fails');
    }
    this.addButton.toggleAttribute('disabled', !canAdd);
    this.addOutputButton.toggleAttribute('disabled', !(selector && this.key && OUTPUT_NAME.test(valueOf(this.outputName).trim())));
  }

  private submitAssertion(): void {
    const selector = this.selector();
    const assertion = this.assertionText();
    if (!this.span || !selector || !assertion || this.addButton.hasAttribute('disabled')) return;
    const requestId = this.nextRequest++;
    this.pending.set(requestId, assertion);
    this.status.textContent = 'Adding…';
    this.status.classList.remove('failed');
    this.host.post({ type: 'addAssertion', requestId, spanId: this.span.id, selector, assertion });
  }

  private submitOutput(): void {
    const selector = this.selector();
    const name = valueOf(this.outputName).trim();
    if (!this.span || !selector || !this.key || !OUTPUT_NAME.test(name)) return;
    const requestId = this.nextRequest++;
    this.pending.set(requestId, name);
    this.status.textContent = 'Adding…';
    this.status.classList.remove('failed');
    this.host.post({ type: 'addOutput', requestId, spanId: this.span.id, selector, name, value: `attr:${this.key}` });
  }
}
