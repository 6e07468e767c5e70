// When requests start. Open model (`--rate`): arrival k is due at a fixed time whatever the answers do, the rate
// climbing linearly from 0 over the ramp-up. Closed model (`--vus`): virtual user i starts at i/n of the ramp-up.

/** Milliseconds after the start at which arrival k (from 0) is due at `rate` per second, with a linear ramp-up. */
export function arrivalTime(k: number, rate: number, rampUpMs: number): number {
  const perMs = rate / 1000;
  // Arrivals during the ramp-up: the area under the rising rate, perMs * rampUpMs / 2.
  const duringRamp = (perMs * rampUpMs) / 2;
  if (k < duringRamp) return Math.sqrt((2 * rampUpMs * k) / perMs);
  return rampUpMs + (k - duringRamp) / perMs;
}

/** How many arrivals the schedule holds in `durationMs` (the ramp-up included). */
export function arrivalsIn(durationMs: number, rate: number, rampUpMs: number): number {
  const perMs = rate / 1000;
  const ramp = Math.min(rampUpMs, durationMs);
  const rising = rampUpMs === 0 ? 0 : (perMs * ramp * ramp) / (2 * rampUpMs);
  return Math.ceil(rising + perMs * Math.max(0, durationMs - rampUpMs));
}

/** Milliseconds after the start at which virtual user `i` of `vus` begins. */
export function vuStart(i: number, vus: number, rampUpMs: number): number {
  return vus <= 1 ? 0 : (rampUpMs * i) / vus;
}
