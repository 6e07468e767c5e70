// Colour for people's terminals, none for files, pipes and NO_COLOR.
export interface Style {
  green(s: string): string;
  red(s: string): string;
  yellow(s: string): string;
  dim(s: string): string;
  bold(s: string): string;
}

const ansi = (open: number, close: number) => (s: string) => `\u001b[${open}m${s}\u001b[${close}m`;
export const colours: Style = { green: ansi(32, 39), red: ansi(31, 39), yellow: ansi(33, 39), dim: ansi(2, 22), bold: ansi(1, 22) };
export const plain: Style = { green: (s) => s, red: (s) => s, yellow: (s) => s, dim: (s) => s, bold: (s) => s };

/** Colour only on a terminal, and never when NO_COLOR is set (FORCE_COLOR wins). */
export function styleFor(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv): Style {
  if (env.FORCE_COLOR && env.FORCE_COLOR !== '0') return colours;
  if (env.NO_COLOR) return plain;
  return stream.isTTY ? colours : plain;
}
