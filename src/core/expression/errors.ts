// Errors of the expression language. Internally a Problem points at offsets; at the public API it becomes an
// ExpressionError (a SourceError with line/column) whose message ends with "at line:column".
import type { Result, SourceError } from '../text-position';
import { positionAt } from '../text-position';

export type ExpressionErrorKind =
  'parse' | 'type' | 'missing-attribute' | 'missing-variable' | 'unknown-filter' | 'unknown-function' | 'invalid-argument' | 'no-span';

export interface ExpressionError extends SourceError {
  kind: ExpressionErrorKind;
}

/** An error before its position is rendered: offsets are into the text the AST was parsed from. */
export interface Problem {
  kind: ExpressionErrorKind;
  message: string;
  offset: number;
  length: number;
}

export type Attempt<T> = Result<T, Problem>;

export function ok<T>(value: T): Attempt<T> {
  return { ok: true, value };
}

export function fail<T = never>(kind: ExpressionErrorKind, message: string, offset: number, length: number): Attempt<T> {
  return { ok: false, error: { kind, message, offset, length } };
}

export function toExpressionError(text: string, problem: Problem): ExpressionError {
  const { line, column } = positionAt(text, problem.offset);
  return {
    kind: problem.kind,
    message: `${problem.message} at ${line}:${column}`,
    offset: problem.offset,
    length: problem.length,
    line,
    column,
  };
}

const MAX_SHOWN = 60;

/** A value or piece of source in backticks, cut so one long body cannot flood a message. */
export function quoted(text: string): string {
  const chars = Array.from(text);
  const shown = chars.length > MAX_SHOWN ? `${chars.slice(0, MAX_SHOWN - 1).join('')}…` : text;
  return `\`${shown}\``;
}
