// Work that waits for typing or file events to settle: one timer per key (a document, a path).
/** Calls `fn` once per key after `delayMs` of quiet; `flush()` runs whatever is pending now (tests, disposal). */
export class Debouncer<K> {
  private readonly timers = new Map<K, { timer: ReturnType<typeof setTimeout>; fn: () => void }>();

  constructor(private readonly delayMs: number) {}

  schedule(key: K, fn: () => void): void {
    const previous = this.timers.get(key);
    if (previous) clearTimeout(previous.timer);
    const timer = setTimeout(() => {
      this.timers.delete(key);
      fn();
    }, this.delayMs);
    this.timers.set(key, { timer, fn });
  }

  flush(): void {
    const pending = [...this.timers.values()];
    this.timers.clear();
    for (const p of pending) {
      clearTimeout(p.timer);
      p.fn();
    }
  }

  dispose(): void {
    for (const p of this.timers.values()) clearTimeout(p.timer);
    this.timers.clear();
  }
}
