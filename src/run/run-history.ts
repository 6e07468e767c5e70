// Each test's last judged trace, by shape: what the next run of the same test expects to see before it judges
// (services that reported, and how many spans each sent). Kept for as long as the runner (a CLI invocation) or the
// editor window that owns it.
import type { TraceShape } from './sources/expectations';

export class RunHistory {
  private readonly shapes = new Map<string, TraceShape>();

  previous(key: string): TraceShape | undefined {
    return this.shapes.get(key);
  }

  record(key: string, shape: TraceShape): void {
    this.shapes.set(key, shape);
  }
}

/** A test of a file: its id when it has one, else its name. */
export function historyKey(path: string, test: { id?: { value: string } | undefined }, name: string): string {
  return `${path}\n${test.id?.value ?? `name:${name}`}`;
}
