// Live progress on a terminal: one line per test in flight (spinner, phase, spans received) kept at the bottom,
// finished tests printed above it as they complete (only when stdout is a TTY); and progress as plain lines, one per
// event, for the editor's Test Results terminal and output channel.
import type { RunEvent } from '../runner';
import { describeWait, waitText } from '../sources/expectations';
import { formatDuration } from '../sources/settle';
import type { WaitingFor } from '../sources/types';
import type { TestPhase } from '../test-run';
import { analyzerLines, resultDuration, traceProblemLines } from './result-lines';
import { plain, type Style } from './style';

const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

/** Where a test in flight is, for a person: what the terminal's live line and the editor's panel show. */
export interface PhaseState {
  state: string;
  /** Shown after the state with the time left, counting down while it is on screen. */
  waiting?: WaitingFor | undefined;
}

export const STARTED_STATE: PhaseState = { state: 'sending trigger' };

export function phaseState(phase: Exclude<TestPhase, { phase: 'late' }>): PhaseState {
  if (phase.phase === 'output') return { state: `running the script · ${phase.line}` };
  if (phase.phase === 'triggered') return { state: `triggered${phase.trigger.status !== undefined ? ` (${phase.trigger.status})` : ''} · waiting for spans` };
  if (phase.phase === 'settled') return { state: `${phase.spans} spans · evaluating` };
  const { spans, services, waiting } = phase.progress;
  return { state: `${spans} span${spans === 1 ? '' : 's'}${services.length ? ` from ${services.join(', ')}` : ''}`, waiting };
}

/** `3 spans from api · waiting for spans from worker (seen in the last run)`, and until when (Date.now()) it waits. */
export function phaseSummary({ state, waiting }: PhaseState): { text: string; until?: number } {
  return waiting ? { text: `${state} · ${waitText(waiting.reasons)}`, until: waiting.until } : { text: state };
}

/** `3 spans from api · waiting for spans from worker (seen in the last run), up to 4.2s`, at `now` (Date.now()). */
export function phaseText({ state, waiting }: PhaseState, now: number): string {
  return waiting ? `${state} · ${describeWait(waiting.reasons, waiting.until - now)}` : state;
}

interface Line extends PhaseState {
  label: string;
}

export class LiveProgress {
  private readonly lines = new Map<number, Line>();
  private drawn = 0;
  private frame = 0;
  private readonly timer: ReturnType<typeof setInterval>;

  constructor(
    private readonly out: { write(s: string): unknown; columns?: number },
    private readonly style: Style,
    /** Turns a finished test into the text printed above the live lines. */
    private readonly finished: (event: Extract<RunEvent, { type: 'test-finished' }>) => string,
  ) {
    this.timer = setInterval(() => {
      this.frame = (this.frame + 1) % FRAMES.length;
      if (this.lines.size > 0) this.redraw();
    }, 80);
    this.timer.unref();
  }

  onEvent(event: RunEvent): void {
    switch (event.type) {
      case 'test-started':
        this.lines.set(event.run, { label: `${event.suite ? `${event.suite} › ` : ''}${event.name}`, ...STARTED_STATE });
        break;
      case 'test-progress': {
        if (event.phase === 'late') return this.note(`${this.style.yellow('⚠')} ${event.test}: ${lateSpansText(event.late)}`);
        const line = this.lines.get(event.run);
        if (!line) return;
        Object.assign(line, { waiting: undefined }, phaseState(event));
        break;
      }
      case 'test-finished':
        this.lines.delete(event.run);
        this.redraw(`${this.finished(event)}\n`);
        return;
    }
    this.redraw();
  }

  /** A line printed above the live lines, e.g. a warning about a test that already finished. */
  note(text: string): void {
    this.redraw(`${text}\n`);
  }

  /** Clears the live lines for good (before the summary). */
  stop(): void {
    clearInterval(this.timer);
    this.lines.clear();
    this.redraw();
  }

  private redraw(above = ''): void {
    // Move up over the lines drawn last time and clear to the end of the screen, then draw afresh.
    let text = this.drawn > 0 ? `\u001b[${this.drawn}F\u001b[J` : '';
    text += above;
    const spinner = this.style.dim(FRAMES[this.frame]!);
    // A line longer than the terminal would wrap and break the count of lines to move up over.
    const width = Math.max(20, (this.out.columns ?? 80) - 3);
    const now = Date.now();
    for (const line of this.lines.values()) {
      const { label } = line;
      const state = phaseText(line, now);
      const shownLabel = label.length > width ? `${label.slice(0, width - 1)}…` : label;
      const room = width - shownLabel.length - 2;
      const shownState = room <= 1 ? '' : state.length > room ? `${state.slice(0, room - 1)}…` : state;
      text += `${spinner} ${this.style.bold(shownLabel)}  ${this.style.dim(shownState)}\n`;
    }
    this.drawn = this.lines.size;
    this.out.write(text);
  }
}

/** `2 spans from worker arrived 6.1s after the response, after the test was judged: …`. */
export function lateSpansText(late: { service: string; spans: number; afterResponseMs: number }): string {
  const what = `${late.spans} span${late.spans === 1 ? '' : 's'} from ${late.service}`;
  return `${what} arrived ${formatDuration(late.afterResponseMs)} after the trigger's response, after the test was judged: its result may be wrong (raise the export delay, or make that service export sooner)`;
}

/** One line of live progress for the Test Results terminal and the output channel. */
export function progressLine(event: RunEvent): string | undefined {
  switch (event.type) {
    case 'test-started':
      return `▶ ${event.suite ? `${event.suite} › ` : ''}${event.name}`;
    case 'test-progress':
      if (event.phase === 'triggered') {
        const status = event.trigger.status !== undefined ? ` → ${event.trigger.status}` : '';
        return `  ${event.trigger.type} trigger${status} (${resultDuration(event.trigger.durationMs)}), trace ${event.traceId}`;
      }
      if (event.phase === 'output') return `  │ ${event.line}`;
      if (event.phase === 'spans') {
        const { spans, services, waiting } = event.progress;
        const wait = waiting ? `; ${describeWait(waiting.reasons, waiting.until - Date.now())}` : '';
        return `  ${spans} span${spans === 1 ? '' : 's'} so far${services.length ? ` from ${services.join(', ')}` : ''}${wait}`;
      }
      if (event.phase === 'late') return `⚠ ${event.test}: ${lateSpansText(event.late)}`;
      return `  trace complete: ${event.spans} span${event.spans === 1 ? '' : 's'}`;
    case 'test-finished': {
      const r = event.result;
      const icon = r.status === 'passed' ? '✓' : r.status === 'failed' ? '✗' : '!';
      const specs = r.specs.length ? ` · ${r.specs.filter((s) => s.status === 'passed').length}/${r.specs.length} specs passed` : '';
      const problems = [...(r.warnings ?? []), ...traceProblemLines(r.trace)].map((line) => `\n  ⚠ ${line}`);
      const playwrightTrace = r.trigger.playwrightTrace ? `\n  Playwright trace: ${r.trigger.playwrightTrace}` : '';
      const analysis = analyzerLines(r, plain).map((line) => `\n${line}`);
      return `${icon} ${r.name} (${resultDuration(r.durationMs)}${specs})${r.error ? `\n  ${r.error}` : ''}${playwrightTrace}${problems.join('')}${analysis.join('')}`;
    }
  }
}
