// When an Artillery worker's last virtual user arrives, from its script's phases: the checks still in flight then
// must be judged before the worker reports (Artillery stops counting metrics once its last virtual user is done).

/** Phase durations as Artillery reads them: seconds (a number or digits), or text such as `30s`, `2m`, `1 hour`. */
const DURATION = /^(\d+(?:\.\d+)?)\s*(ms|milliseconds?|s|secs?|seconds?|m|mins?|minutes?|h|hrs?|hours?)$/i;

function seconds(value: unknown): number | undefined {
  if (typeof value === 'number') return value >= 0 ? value : undefined;
  if (typeof value !== 'string') return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text);
  const match = DURATION.exec(text);
  if (!match) return undefined;
  const unit = match[2]!.toLowerCase();
  const factor = unit.startsWith('ms') || unit.startsWith('milli') ? 0.001 : unit.startsWith('s') ? 1 : unit.startsWith('m') ? 60 : 3600;
  return Number(match[1]) * factor;
}

/**
 * Seconds from the start of the first phase to the end of the last one that brings virtual users (a trailing
 * `pause` brings none); undefined when a duration cannot be read, as is the case for templated ones.
 */
export function arrivalsEndSeconds(phases: unknown): number | undefined {
  if (!Array.isArray(phases) || phases.length === 0) return undefined;
  let elapsed = 0;
  let lastArrivals = 0;
  for (const phase of phases as Record<string, unknown>[]) {
    const pause = phase['pause'] !== undefined ? seconds(phase['pause']) : undefined;
    const length = pause ?? seconds(phase['duration']);
    if (length === undefined) return undefined;
    elapsed += length;
    if (pause === undefined) lastArrivals = elapsed;
  }
  return lastArrivals;
}
