// Positions inside a piece of source text (a selector, an expression, a YAML file).

export interface Position {
  /** 0-based character offset. */
  offset: number;
  /** 1-based. */
  line: number;
  /** 1-based, in characters. */
  column: number;
}

/** A syntax, type or evaluation error that points at the text it is about. Returned as a value, never thrown. */
export interface SourceError {
  message: string;
  /** 0-based offset of the offending text in the source it was parsed from. */
  offset: number;
  /** Length of the offending text (at least 1 when it points at a character, 0 at end of input). */
  length: number;
  line: number;
  column: number;
}

export type Result<T, E = SourceError> = { ok: true; value: T } | { ok: false; error: E };

export function positionAt(text: string, offset: number): Position {
  let line = 1;
  let lineStart = 0;
  const end = Math.min(Math.max(offset, 0), text.length);
  for (let i = 0; i < end; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { offset: end, line, column: end - lineStart + 1 };
}

export function sourceError(text: string, offset: number, length: number, message: string): SourceError {
  const { line, column } = positionAt(text, offset);
  return { message, offset, length, line, column };
}

/** Parsers say "at 1:24" relative to the text they parsed; where a file's own line:column is shown, that goes. */
export function withoutPosition(message: string): string {
  return message.replace(/ at \d+:\d+$/, '');
}
