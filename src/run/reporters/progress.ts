// Live progress on a terminal: one line per test in flight (spinner, phase, spans received) kept at the bottom,
// finished tests printed above it as they complete. Only used when stdout is a TTY.
import type { RunEvent } from '../runner';
import type { Style } from './pretty';

const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

interface Line {
  label: string;
  state: string;
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
        this.lines.set(event.run, { label: `${event.suite ? `${event.suite} › ` : ''}${event.name}`, state: 'sending trigger' });
        break;
      case 'test-progress': {
        const line = this.lines.get(event.run);
        if (!line) return;
        if (event.phase === 'output') line.state = `running the script · ${event.line}`;
        else if (event.phase === 'triggered') line.state = `triggered${event.trigger.status !== undefined ? ` (${event.trigger.status})` : ''} · waiting for spans`;
        else if (event.phase === 'spans') line.state = `${event.progress.spans} span${event.progress.spans === 1 ? '' : 's'}${event.progress.services.length ? ` from ${event.progress.services.join(', ')}` : ''}`;
        else line.state = `${event.spans} spans · evaluating`;
        break;
      }
      case 'test-finished':
        this.lines.delete(event.run);
        this.redraw(`${this.finished(event)}\n`);
        return;
    }
    this.redraw();
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
    for (const { label, state } of this.lines.values()) {
      const shownLabel = label.length > width ? `${label.slice(0, width - 1)}…` : label;
      const room = width - shownLabel.length - 2;
      const shownState = room <= 1 ? '' : state.length > room ? `${state.slice(0, room - 1)}…` : state;
      text += `${spinner} ${this.style.bold(shownLabel)}  ${this.style.dim(shownState)}\n`;
    }
    this.drawn = this.lines.size;
    this.out.write(text);
  }
}
