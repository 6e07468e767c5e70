// A script's error as a person reads it: `TimeoutError: locator.click: Timeout 5000ms exceeded.` with the line of
// the script it came from, found in the error's stack (or, for a syntax error, in the first line Node prints).
import type { ScriptPosition } from './messages';

/** Playwright's messages carry a call log; more than this many lines is noise in a test result. */
const MAX_MESSAGE_LINES = 12;

/** The first place in `stack` that is in the script: one of `names` (its path, file URL or inline label). */
export function positionInStack(stack: string, names: readonly string[]): ScriptPosition | undefined {
  for (const line of stack.split('\n')) {
    for (const name of names) {
      const at = line.lastIndexOf(`${name}:`);
      if (at < 0) continue;
      // `name:12:5`, `name:12:5)` in a frame, or `name:12` on the first line of a syntax error.
      const match = /^:(\d+)(?::(\d+))?\)?\s*$/.exec(line.slice(at + name.length));
      if (match) return { line: Number(match[1]), ...(match[2] ? { column: Number(match[2]) } : {}) };
    }
  }
  return undefined;
}

/**
 * A syntax error as Node prints it (`node --check`): `<name>:<line>`, the source line, then a caret under the
 * column. The position of the first such report.
 */
export function positionInCheckOutput(output: string, name: string): ScriptPosition | undefined {
  const lines = output.split('\n');
  const first = lines.findIndex((l) => l.startsWith(`${name}:`));
  if (first < 0) return undefined;
  const line = Number(lines[first]!.slice(name.length + 1));
  if (!Number.isInteger(line) || line < 1) return undefined;
  const caret = lines[first + 2]?.indexOf('^') ?? -1;
  return { line, ...(caret >= 0 ? { column: caret + 1 } : {}) };
}

/** `Name: message`, without colour codes, and with a long call log cut short. */
export function errorSummary(error: unknown): string {
  if (!(error instanceof Error)) return `thrown: ${String(error)}`;
  const message = error.message.replace(/\u001b\[[0-9;]*m/g, '').trimEnd();
  const lines = message.split('\n');
  const text =
    lines.length > MAX_MESSAGE_LINES ? [...lines.slice(0, MAX_MESSAGE_LINES), `  … ${lines.length - MAX_MESSAGE_LINES} more lines`].join('\n') : message;
  const name = error.name && error.name !== 'Error' ? error.name : 'Error';
  return text.startsWith(`${name}:`) ? text : `${name}: ${text}`;
}
