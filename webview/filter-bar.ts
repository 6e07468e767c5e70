// The selector bar and the text search: typed or pasted text highlights the spans it picks in both views, with a
// count; a selector that does not parse says why and points at the column, once typing pauses (half a selector is
// not a mistake yet). Enter goes to the next match and counts it ("3 of 33"); Escape clears the field. A pinned set
// of spans (an analyzer rule's) joins the highlight as a chip that says what it is and clears it.
import type { Trace } from '../src/core/trace/model';
import { custom, el, setValue, valueOf } from './dom';
import { intersect, nextMatch, selectorMatches, textMatches, type Matches } from './matches';

export interface FilterBarHost {
  /** The highlight changed (new text, new trace). */
  changed(): void;
  /** Select and reveal a span (Enter in a field). */
  goTo(spanIndex: number): void;
  selected(): number | undefined;
  /** The pinned spans were cleared from the chip. */
  unpinned(): void;
}

/** Typing settles for this long before a search over every attribute runs again. */
const SEARCH_DELAY_MS = 150;
/** ... and for this long before a selector that does not parse is called an error. */
const ERROR_DELAY_MS = 700;

export class FilterBar {
  readonly element: HTMLElement;
  private readonly selectorInput = custom('vscode-textfield', {
    className: 'selector-input',
    attrs: { placeholder: 'Selector, e.g. span[tracetest.span.type="http"]', 'aria-label': 'Selector', spellcheck: 'false' },
  });
  private readonly searchInput = custom('vscode-textfield', {
    className: 'search-input',
    attrs: { placeholder: 'Find in names and attributes', 'aria-label': 'Find in names and attributes' },
  });
  private readonly selectorCount = el('span', { className: 'match-count selector-count', attrs: { 'aria-live': 'polite' } });
  private readonly searchCount = el('span', { className: 'match-count search-count', attrs: { 'aria-live': 'polite' } });
  private readonly error = el('div', { className: 'selector-error', attrs: { role: 'alert', hidden: '' } });
  private readonly pinLabel = el('span', { className: 'pinned-label' });
  private readonly pinCount = el('span', { className: 'match-count pinned-count', attrs: { 'aria-live': 'polite' } });
  private readonly pinClear = custom('vscode-button', {
    className: 'pinned-clear',
    text: '✕',
    title: 'Clear this highlight',
    attrs: { secondary: '', 'aria-label': 'Clear this highlight' },
  });
  private readonly pinChip = el('span', { className: 'pinned-filter', attrs: { hidden: '' } }, this.pinLabel, this.pinCount, this.pinClear);
  private trace: Trace | undefined;
  private selector: Matches | undefined;
  private search: Matches | undefined;
  private pinned: Uint8Array | undefined;
  private searchTimer: ReturnType<typeof setTimeout> | undefined;
  private errorTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly host: FilterBarHost) {
    this.element = el(
      'div',
      { className: 'filter-bar' },
      el('div', { className: 'filter-row' }, this.selectorInput, this.selectorCount, this.searchInput, this.searchCount, this.pinChip),
      this.error,
    );
    this.pinClear.addEventListener('click', () => {
      this.unpin();
      this.host.unpinned();
    });
    this.selectorInput.addEventListener('input', () => this.updateSelector(true, ERROR_DELAY_MS));
    // Leaving the field is a pause too.
    this.selectorInput.addEventListener('focusout', () => this.flushError());
    this.searchInput.addEventListener('input', () => {
      clearTimeout(this.searchTimer);
      this.searchTimer = setTimeout(() => this.updateSearch(), SEARCH_DELAY_MS);
    });
    for (const input of [this.selectorInput, this.searchInput]) {
      input.addEventListener('keydown', (event) => {
        if (event.key === 'Escape' && valueOf(input) !== '') {
          event.preventDefault();
          event.stopPropagation();
          setValue(input, '');
          if (input === this.searchInput) this.updateSearch();
          else this.updateSelector();
          return;
        }
        if (event.key !== 'Enter') return;
        event.preventDefault();
        if (input === this.searchInput) {
          clearTimeout(this.searchTimer);
          this.updateSearch();
        } else this.flushError();
        this.step(event.shiftKey ? -1 : 1, input === this.searchInput ? this.searchCount : this.selectorCount);
      });
    }
  }

  /** A new trace drops the pinned spans: they were the old trace's. */
  setTrace(trace: Trace): void {
    this.trace = trace;
    this.pinned = undefined;
    this.pinChip.hidden = true;
    this.updateSelector(false);
    this.updateSearch(false);
    this.host.changed();
  }

  texts(): { selector: string; search: string } {
    return { selector: valueOf(this.selectorInput), search: valueOf(this.searchInput) };
  }

  setTexts(selector: string, search: string): void {
    setValue(this.selectorInput, selector);
    setValue(this.searchInput, search);
    if (this.trace) this.setTrace(this.trace);
  }

  /** Put a selector in the bar (from a candidate or a spec). */
  showSelector(selector: string): void {
    setValue(this.selectorInput, selector);
    this.updateSelector();
  }

  /** Highlight these spans too (by span index), with a chip that names them and clears them. */
  pin(label: string, spanIndexes: readonly number[]): void {
    if (!this.trace) return;
    const mask = new Uint8Array(this.trace.spans.length);
    for (const i of spanIndexes) mask[i] = 1;
    this.pinned = mask;
    this.pinLabel.textContent = label;
    this.pinCount.textContent = spanIndexes.length === 1 ? '1 span' : `${spanIndexes.length.toLocaleString('en-US')} spans`;
    this.pinChip.hidden = false;
    this.host.changed();
  }

  unpin(): void {
    if (!this.pinned) return;
    this.pinned = undefined;
    this.pinChip.hidden = true;
    this.host.changed();
  }

  /** 1 for spans picked by every active field and the pinned set; undefined when none is active. */
  highlight(): Uint8Array | undefined {
    const mask = (m: Matches | undefined) => (m?.ok ? m.mask : undefined);
    return intersect(intersect(mask(this.selector), mask(this.search)), this.pinned);
  }

  focusSelector(): void {
    this.selectorInput.focus();
  }

  focusSearch(): void {
    this.searchInput.focus();
  }

  /** Matches now; a parse error shown now, or after `errorDelay` ms if the text is still being typed. */
  private updateSelector(notify = true, errorDelay = 0): void {
    const text = valueOf(this.selectorInput).trim();
    this.selector = this.trace && text !== '' ? selectorMatches(this.trace, text) : undefined;
    clearTimeout(this.errorTimer);
    this.errorTimer = undefined;
    if (this.selector?.ok === false && errorDelay > 0) {
      this.hideError();
      this.selectorCount.textContent = '';
      this.errorTimer = setTimeout(() => this.flushError(), errorDelay);
    } else this.showError(text);
    if (notify) this.host.changed();
  }

  /** Shows a pending parse error at once. */
  private flushError(): void {
    if (this.errorTimer === undefined) return;
    clearTimeout(this.errorTimer);
    this.errorTimer = undefined;
    this.showError(valueOf(this.selectorInput).trim());
  }

  private updateSearch(notify = true): void {
    const text = valueOf(this.searchInput).trim();
    this.search = this.trace && text !== '' ? textMatches(this.trace, text) : undefined;
    this.searchCount.textContent = countText(this.search);
    if (notify) this.host.changed();
  }

  private hideError(): void {
    this.error.hidden = true;
    this.error.replaceChildren();
    this.selectorInput.removeAttribute('invalid');
  }

  private showError(text: string): void {
    const m = this.selector;
    this.selectorCount.textContent = countText(m);
    if (!m || m.ok) {
      this.hideError();
      return;
    }
    this.selectorInput.setAttribute('invalid', '');
    const { column, length, message } = m.error;
    // The selector is one line in the bar: the column is the offset + 1.
    const caret = `${' '.repeat(Math.max(0, column - 1))}^${'~'.repeat(Math.max(0, length - 1))}`;
    this.error.replaceChildren(
      el('pre', { className: 'selector-echo' }, el('span', { text }), '\n', el('span', { className: 'caret', text: caret })),
      el('span', { className: 'selector-message', text: `column ${column}: ${message}` }),
    );
    this.error.hidden = false;
  }

  /** Goes to the next (or previous) highlighted span and says which one of them it is, next to the field used. */
  private step(direction: 1 | -1, count: HTMLElement): void {
    const mask = this.highlight();
    if (!mask) return;
    const at = this.host.selected();
    const next = nextMatch(mask, at ?? (direction === 1 ? -1 : 0), direction);
    if (next < 0) return;
    this.host.goTo(next);
    let rank = 0;
    let total = 0;
    for (let i = 0; i < mask.length; i++) {
      if (!mask[i]) continue;
      total++;
      if (i <= next) rank++;
    }
    count.textContent = `${rank.toLocaleString('en-US')} of ${total.toLocaleString('en-US')}`;
  }
}

function countText(m: Matches | undefined): string {
  if (!m) return '';
  if (!m.ok) return 'error';
  return m.count === 1 ? '1 span' : `${m.count.toLocaleString('en-US')} spans`;
}
