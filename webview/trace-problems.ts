// What was wrong with the trace as it arrived (a span whose parent never came, a repeated span id, several roots,
// spans of other traces, text the receiver cut to its limit): the trace was repaired to be shown
// (src/core/trace/build.ts), and the user should see where the picture is not the whole truth, as Jaeger's span
// warnings do.
import type { Span } from '../src/core/trace/model';
import { custom, el } from './dom';
import type { PanelModel } from './model';

/** Problems listed at most; a trace with thousands of orphans says how many more there are. */
const LISTED = 50;

export interface TraceProblemsHost {
  goTo(spanIndex: number): void;
}

/** The trace's problems as a closed section of the side, each going to its span; nothing when the trace is sound. */
export function traceProblemList(model: PanelModel, host: TraceProblemsHost): HTMLElement | undefined {
  const problems = model.trace.problems;
  if (problems.length === 0) return undefined;
  const rows = problems.slice(0, LISTED).map((problem) => {
    const span = problem.spanId ? model.trace.byId.get(problem.spanId) : undefined;
    const go = span && el('a', { className: 'problem-span', text: 'show span', attrs: { href: '#', 'data-span-id': span.id } });
    go?.addEventListener('click', (event) => {
      event.preventDefault();
      host.goTo(span!.index);
    });
    return el('li', { className: 'trace-problem', attrs: { 'data-code': problem.code } }, el('span', { text: problem.message }), go && ' ', go);
  });
  if (problems.length > LISTED) rows.push(el('li', { className: 'muted', text: `and ${problems.length - LISTED} more` }));
  return custom(
    'vscode-collapsible',
    { className: 'trace-problems', attrs: { heading: `⚠ Trace problems (${problems.length})`, description: 'repaired or cut to be shown' } },
    el('ul', {}, ...rows),
  );
}

/** What is wrong with this span's place in the trace, for its details. */
export function spanProblems(model: PanelModel, span: Span): string[] {
  return model.trace.problems.filter((p) => p.spanId === span.id).map((p) => p.message);
}
