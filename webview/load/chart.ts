// A time-series line chart in SVG with d3-selection: seconds along x, one line per series (a gap where a second has
// no value), a few round ticks on y. Colours and dashes come from classes (media/load.css), which read the VS Code
// theme's variables: no inline style (the CSP allows none).
import { select, type Selection } from 'd3-selection';

export interface Line {
  /** Shown in the legend and the tooltip. */
  name: string;
  /** Classes for its colour and dash (`series-0`, `dashed`…). */
  className: string;
  values: readonly (number | null)[];
}

export interface ChartData {
  /** Seconds since the start, one per point. */
  t: readonly number[];
  lines: Line[];
  /** The x axis reaches at least this (the load's duration), so a run fills the chart as it goes. */
  minEndSeconds: number;
  /** The y axis reaches at least this (1 for a share). */
  minTop?: number;
  /** The y axis stops here (1 for a share). */
  maxTop?: number;
  format(value: number): string;
}

const MARGIN = { top: 8, right: 12, bottom: 22, left: 56 };
const HEIGHT = 170;

/** Draws (again) into `svg`, `width` pixels wide. */
export function drawChart(svg: SVGSVGElement, width: number, data: ChartData): void {
  const root = select(svg).attr('width', width).attr('height', HEIGHT).attr('viewBox', `0 0 ${width} ${HEIGHT}`);
  root.selectAll('*').remove();
  const innerW = Math.max(10, width - MARGIN.left - MARGIN.right);
  const innerH = HEIGHT - MARGIN.top - MARGIN.bottom;
  // A point closes its second: the data starts a second before the first one (0 until the oldest are dropped).
  const x0 = Math.max(0, Math.floor((data.t[0] ?? 1) - 1));
  const x1 = Math.max(data.minEndSeconds, data.t.at(-1) ?? 0, x0 + 1);
  const seen = data.lines.flatMap((l) => l.values.filter((v): v is number => v !== null));
  let top = Math.max(data.minTop ?? 0, ...seen, 0);
  if (data.maxTop !== undefined) top = Math.min(top, data.maxTop);
  const yTicks = niceTicks(top > 0 ? top : 1, 4);
  const yTop = yTicks.at(-1)!;
  const x = (t: number) => MARGIN.left + ((t - x0) / (x1 - x0)) * innerW;
  const y = (v: number) => MARGIN.top + innerH - (Math.min(v, yTop) / yTop) * innerH;

  const grid = root.append('g').attr('class', 'grid');
  for (const tick of yTicks) {
    grid
      .append('line')
      .attr('x1', MARGIN.left)
      .attr('x2', MARGIN.left + innerW)
      .attr('y1', y(tick))
      .attr('y2', y(tick));
    root
      .append('text')
      .attr('class', 'tick y')
      .attr('x', MARGIN.left - 6)
      .attr('y', y(tick))
      .attr('dy', '0.32em')
      .attr('text-anchor', 'end')
      .text(data.format(tick));
  }
  for (const tick of niceTicks(x1 - x0, Math.max(2, Math.floor(innerW / 90)))) {
    if (tick === 0 && x0 > 0) continue;
    root
      .append('text')
      .attr('class', 'tick x')
      .attr('x', x(x0 + tick))
      .attr('y', MARGIN.top + innerH + 16)
      .attr('text-anchor', 'middle')
      .text(seconds(x0 + tick));
  }
  root
    .append('line')
    .attr('class', 'axis')
    .attr('x1', MARGIN.left)
    .attr('x2', MARGIN.left + innerW)
    .attr('y1', y(0))
    .attr('y2', y(0));

  for (const line of data.lines) drawLine(root, line, data.t, x, y);
}

function drawLine(
  root: Selection<SVGSVGElement, unknown, null, undefined>,
  line: Line,
  t: readonly number[],
  x: (t: number) => number,
  y: (v: number) => number,
): void {
  let d = '';
  let pen = false;
  const lone: number[] = [];
  line.values.forEach((v, i) => {
    if (v === null) {
      pen = false;
      return;
    }
    const next = line.values[i + 1];
    // A value between two gaps draws no segment: it gets a dot.
    if (!pen && (next === null || next === undefined)) lone.push(i);
    d += `${pen ? 'L' : 'M'}${x(t[i]!).toFixed(1)},${y(v).toFixed(1)}`;
    pen = true;
  });
  const group = root.append('g').attr('class', `series ${line.className}`).attr('data-series', line.name);
  group.append('path').attr('d', d).append('title').text(line.name);
  for (const i of lone) group.append('circle').attr('cx', x(t[i]!)).attr('cy', y(line.values[i]!)).attr('r', 2);
}

/** Round steps from 0 covering `max` (1, 2 or 5 times a power of ten). */
export function niceTicks(max: number, count: number): number[] {
  const raw = max / Math.max(1, count);
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw)!;
  const ticks: number[] = [];
  for (let v = 0; v < max + step / 2 && ticks.length <= count + 1; v += step) ticks.push(Number(v.toPrecision(12)));
  if (ticks.at(-1)! < max) ticks.push(Number((ticks.at(-1)! + step).toPrecision(12)));
  return ticks;
}

function seconds(s: number): string {
  if (s < 60) return `${Math.round(s)}s`;
  const m = Math.floor(s / 60);
  const rest = Math.round(s % 60);
  return rest === 0 ? `${m}m` : `${m}m${String(rest).padStart(2, '0')}`;
}
