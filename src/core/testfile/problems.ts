import { positionAt } from '../text-position';
import type { Problem, ProblemSource, Range } from './model';

/** 1-based line and column of an offset. */
export type Locate = (offset: number) => { line: number; column: number };

/** A Problem at `range` of `text`, with the 1-based line/column pairs editors and `file:line:column` output need. */
export function createProblem(text: string, range: Range, message: string, source: ProblemSource, severity: Problem['severity'] = 'error'): Problem {
  return problemAt((offset) => positionAt(text, offset), range, message, source, severity);
}

/** Same as createProblem, with a faster position lookup (the loader uses the parser's line index). */
export function problemAt(locate: Locate, range: Range, message: string, source: ProblemSource, severity: Problem['severity'] = 'error'): Problem {
  const start = locate(range.start);
  const end = locate(range.end);
  return { severity, source, message, range, line: start.line, column: start.column, endLine: end.line, endColumn: end.column };
}
