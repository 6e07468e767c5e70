// The load panel's page: the session's header (test, profile, status, totals, Stop), four charts redrawn on each
// tick, and the failing traces, newest first; a click on one asks the extension to open it in the trace panel.
import {
  MAX_POINTS,
  type FailingTrace,
  type LoadHostMessage,
  type LoadPoint,
  type LoadSessionInfo,
  type LoadStatus,
  type LoadTotals,
} from '../../src/load-protocol';
import { clear, el } from '../dom';
import { drawChart, type ChartData, type Line } from './chart';

const SVG_NS = 'http://www.w3.org/2000/svg';
/** Spec colours cycle through this many classes (media/load.css). */
const SPEC_COLOURS = 6;

interface Chart {
  id: string;
  title: string;
  svg: SVGSVGElement;
  legend: HTMLElement;
  data(): ChartData;
}

export class LoadApp {
  private info: LoadSessionInfo | undefined;
  private status: LoadStatus = 'starting';
  private message: string | undefined;
  private points: LoadPoint[] = [];
  private failing: FailingTrace[] = [];
  private totals: LoadTotals | null = null;
  private readonly header = el('header', { className: 'load-header' });
  private readonly charts: Chart[];
  private readonly failingList = el('section', { className: 'failing' });

  constructor(
    private readonly vscode: VsCodeApi,
    root: HTMLElement,
  ) {
    const percent = (v: number) => `${Math.round(v * 100)}%`;
    const perSecond = (v: number) => `${Number(v.toPrecision(4))}/s`;
    const column = <K extends keyof LoadPoint>(key: K) => this.points.map((p) => p[key]);
    const spec = (i: number, key: 'passRate' | 'spanP50' | 'spanP95') => this.points.map((p) => p.specs[i]?.[key] ?? null);
    const specs = () => this.info?.specs ?? [];
    const colour = (i: number) => `spec-${i % SPEC_COLOURS}`;
    const base = () => ({ t: this.points.map((p) => p.t), minEndSeconds: (this.info?.durationMs ?? 0) / 1000 });
    this.charts = [
      this.chart('rate', 'Requests per second', () => ({
        ...base(),
        format: perSecond,
        lines: [
          { name: 'requested', className: 'requested dashed', values: column('requested') as (number | null)[] },
          { name: 'achieved', className: 'achieved', values: column('achieved') },
        ],
      })),
      this.chart('latency', 'Latency', () => ({
        ...base(),
        format: durationText,
        lines: [
          { name: 'p50', className: 'latency dashed', values: column('latencyP50') },
          { name: 'p95', className: 'latency', values: column('latencyP95') },
        ],
      })),
      this.chart('pass-rate', 'Pass rate per spec', () => ({
        ...base(),
        format: percent,
        minTop: 1,
        maxTop: 1,
        lines: specs().map((name, i) => ({ name, className: colour(i), values: spec(i, 'passRate') })),
      })),
      this.chart('span-durations', 'Duration of the spans each spec selects', () => ({
        ...base(),
        format: durationText,
        lines: specs().flatMap((name, i): Line[] => [
          { name: `${name} p50`, className: `${colour(i)} dashed`, values: spec(i, 'spanP50') },
          { name: `${name} p95`, className: colour(i), values: spec(i, 'spanP95') },
        ]),
      })),
    ];
    root.append(
      this.header,
      el(
        'div',
        { className: 'charts' },
        ...this.charts.map((c) => el('figure', { className: 'chart', attrs: { 'data-chart': c.id } }, el('figcaption', { text: c.title }), c.svg, c.legend)),
      ),
      this.failingList,
    );
    window.addEventListener('message', (event: MessageEvent) => this.receive(event.data as LoadHostMessage));
    new ResizeObserver(() => this.drawCharts()).observe(root);
    this.render();
    vscode.postMessage({ type: 'ready' });
  }

  private chart(id: string, title: string, data: () => ChartData): Chart {
    const svg = document.createElementNS(SVG_NS, 'svg');
    svg.setAttribute('role', 'img');
    svg.setAttribute('aria-label', title);
    return { id, title, svg, legend: el('div', { className: 'legend' }), data };
  }

  private receive(message: LoadHostMessage): void {
    switch (message.type) {
      case 'session':
        this.info = message.info;
        this.status = message.status;
        this.message = message.message;
        this.points = [...message.points];
        this.failing = message.failing;
        this.totals = message.totals;
        break;
      case 'tick':
        this.status = 'running';
        this.points.push(message.point);
        if (this.points.length > MAX_POINTS) this.points.splice(0, this.points.length - MAX_POINTS);
        this.failing = message.failing;
        this.totals = message.totals;
        break;
      case 'ended':
        this.status = message.status;
        this.message = message.message;
        this.failing = message.failing;
        this.totals = message.totals ?? this.totals;
        break;
      default:
        return;
    }
    this.render();
  }

  private render(): void {
    this.renderHeader();
    this.drawCharts();
    this.renderFailing();
    document.body.dataset.points = String(this.points.length);
    document.body.dataset.status = this.status;
  }

  private renderHeader(): void {
    clear(this.header);
    if (!this.info) {
      this.header.append(el('p', { className: 'muted', text: 'Starting the load…' }));
      return;
    }
    const running = this.status === 'starting' || this.status === 'running';
    const stop = el('button', { className: 'stop', text: 'Stop', title: 'Stop the load; the traces already sampled are still checked' });
    stop.addEventListener('click', () => {
      stop.disabled = true;
      stop.textContent = 'Stopping…';
      this.vscode.postMessage({ type: 'stop' });
    });
    const t = this.totals;
    const elapsed = t ? Math.min(t.elapsedMs, this.info.durationMs) / 1000 : 0;
    const statusText = running ? (this.status === 'starting' ? 'starting' : `running ${Math.round(elapsed)}/${this.info.durationMs / 1000} s`) : this.status;
    const parts: (HTMLElement | undefined)[] = [
      el(
        'div',
        { className: 'title-row' },
        el('h1', { className: 'load-title', text: `${this.info.test.name} · ${this.info.test.label}` }),
        el('span', { className: `load-status ${this.status}`, text: statusText }),
        running && stop,
      ),
      el('p', { className: 'load-profile muted', text: this.info.profile }),
      t
        ? el(
            'p',
            { className: 'load-totals' },
            `${t.requests} requests, ${t.errors} errors · p95 ${durationText(t.latencyP95)} · ${t.checked} traces checked: ${t.passed} passed, ${t.failed} failed, ${t.errored} errored` +
              (t.unresolved > 0 ? `, ${t.unresolved} unresolved` : '') +
              (t.passRate === null ? '' : ` · pass rate ${Number((t.passRate * 100).toFixed(2))}%`),
          )
        : undefined,
      // The totals say how a load ended; an error says why there was none.
      this.message !== undefined && this.status === 'error' ? el('p', { className: `load-message ${this.status}`, text: this.message }) : undefined,
    ];
    this.header.append(...parts.filter((p): p is HTMLElement => p !== undefined));
  }

  private drawCharts(): void {
    for (const chart of this.charts) {
      const width = chart.svg.parentElement?.clientWidth ?? 400;
      const data = chart.data();
      drawChart(chart.svg, Math.max(200, width), data);
      clear(chart.legend);
      for (const line of data.lines) {
        const latest = [...line.values].reverse().find((v) => v !== null);
        chart.legend.append(
          el(
            'span',
            { className: 'legend-item' },
            el('span', { className: `swatch ${line.className}` }),
            `${line.name}${latest === undefined || latest === null ? '' : ` ${data.format(latest)}`}`,
          ),
        );
      }
    }
  }

  private renderFailing(): void {
    clear(this.failingList);
    this.failingList.append(el('h2', { text: `Failing traces${this.failing.length > 0 ? ` (${this.failing.length}, newest first)` : ''}` }));
    if (this.failing.length === 0) {
      this.failingList.append(
        el('p', { className: 'muted', text: this.totals && this.totals.checked > 0 ? 'None: every trace checked passed.' : 'None yet.' }),
      );
      return;
    }
    const rows = this.failing.map((f) => {
      const open = el('button', {
        className: 'trace-link',
        text: f.traceId,
        title: f.open ? 'Open this trace in the trace panel' : 'No longer kept: the panel keeps the last failing traces only',
        attrs: { 'data-trace-id': f.traceId },
      });
      open.disabled = !f.open;
      open.addEventListener('click', () => this.vscode.postMessage({ type: 'openTrace', traceId: f.traceId }));
      const what = f.specs.length > 0 ? f.specs.join(', ') : (f.error ?? f.status);
      return el(
        'tr',
        { className: f.status },
        el('td', {}, open),
        el('td', { className: 'time', text: new Date(f.at).toLocaleTimeString() }),
        el('td', { className: 'status', text: f.status }),
        el('td', { className: 'specs', text: what, title: f.error ?? what }),
      );
    });
    this.failingList.append(
      el(
        'table',
        {},
        el(
          'thead',
          {},
          el('tr', {}, el('th', { text: 'Trace' }), el('th', { text: 'Time' }), el('th', { text: 'Status' }), el('th', { text: 'Failed specs' })),
        ),
        el('tbody', {}, ...rows),
      ),
    );
  }
}

/** Milliseconds, as seconds from 1 s on. */
function durationText(ms: number): string {
  return ms >= 1000 ? `${Number((ms / 1000).toPrecision(3))} s` : `${Number(ms.toPrecision(3))} ms`;
}
