// The plain value types of the `vscode` module that every fake shares: events, URIs, positions and ranges,
// diagnostics, theme colours and a text document. One implementation each, enough for all the fakes' users.
import { writeFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

type Listener<T> = (e: T) => unknown;

export class EventEmitter<T> {
  private readonly listeners = new Set<Listener<T>>();
  readonly event = (listener: Listener<T>): { dispose(): void } => {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  };
  fire(e: T): void {
    for (const l of [...this.listeners]) l(e);
  }
  dispose(): void {
    this.listeners.clear();
  }
}

export class Uri {
  private constructor(
    readonly scheme: string,
    readonly path: string,
    readonly query: string,
  ) {}
  static file(path: string): Uri {
    return new Uri('file', path, '');
  }
  static parse(value: string): Uri {
    if (value.startsWith('file:')) return Uri.file(fileURLToPath(value));
    const url = new URL(value);
    return new Uri(url.protocol.slice(0, -1), decodeURIComponent(url.pathname), url.search.slice(1));
  }
  static from(parts: { scheme: string; path: string; query?: string }): Uri {
    return new Uri(parts.scheme, parts.path, parts.query ?? '');
  }
  static joinPath(base: Uri, ...parts: string[]): Uri {
    return new Uri(base.scheme, [base.path, ...parts].join('/'), base.query);
  }
  get fsPath(): string {
    return this.path;
  }
  toString(): string {
    if (this.scheme === 'file') return pathToFileURL(this.path).href;
    return `${this.scheme}:${encodeURI(this.path)}${this.query ? `?${this.query}` : ''}`;
  }
}

export class Position {
  constructor(
    readonly line: number,
    readonly character: number,
  ) {}
}

/** `new Range(start, end)` or `new Range(startLine, startCharacter, endLine, endCharacter)`. */
export class Range {
  readonly start: Position;
  readonly end: Position;
  constructor(a: number | Position, b: number | Position, c?: number, d?: number) {
    this.start = typeof a === 'number' ? new Position(a, b as number) : a;
    this.end = typeof a === 'number' ? new Position(c!, d!) : (b as Position);
  }
}

export class Selection extends Range {
  get active(): Position {
    return this.end;
  }
}

export class Location {
  constructor(
    readonly uri: Uri,
    readonly range: Range,
  ) {}
}

export class ThemeColor {
  constructor(readonly id: string) {}
}

export class ThemeIcon {
  constructor(readonly id: string) {}
}

export enum DiagnosticSeverity {
  Error = 0,
  Warning = 1,
  Information = 2,
  Hint = 3,
}

export class Diagnostic {
  source?: string;
  constructor(
    readonly range: Range,
    readonly message: string,
    readonly severity: DiagnosticSeverity,
  ) {}
}

/** A document with real text: `setText` bumps the version and makes it dirty, as an edit would; `save` writes it. */
export class TextDocument {
  version = 1;
  isDirty = false;
  constructor(
    readonly uri: Uri,
    private text: string,
    readonly languageId = 'yaml',
  ) {}
  getText(): string {
    return this.text;
  }
  setText(text: string): void {
    this.text = text;
    this.version++;
    this.isDirty = true;
  }
  async save(): Promise<boolean> {
    writeFileSync(this.uri.fsPath, this.text);
    this.isDirty = false;
    return true;
  }
  offsetAt(p: Position): number {
    const lines = this.text.split('\n');
    let offset = 0;
    for (let i = 0; i < p.line; i++) offset += lines[i]!.length + 1;
    return offset + p.character;
  }
  /** The position of an offset, clamped to the text as the real editor does. */
  positionAt(offset: number): Position {
    const before = this.text.slice(0, Math.max(0, offset));
    const line = before.split('\n').length - 1;
    return new Position(line, before.length - (before.lastIndexOf('\n') + 1));
  }
  get lineCount(): number {
    return this.text.split('\n').length;
  }
  lineAt(line: number): { text: string } {
    return { text: this.text.split('\n')[line] ?? '' };
  }
}

/** Text edits by document, applied all at once against the text as it was (as the editor does). */
export class WorkspaceEdit {
  readonly edits: Array<{ uri: Uri; range: Range; newText: string }> = [];
  insert(uri: Uri, position: Position, newText: string): void {
    this.edits.push({ uri, range: new Range(position, position), newText });
  }
  replace(uri: Uri, range: Range, newText: string): void {
    this.edits.push({ uri, range, newText });
  }
  /** The document's text with this edit's changes to it applied. */
  appliedTo(doc: TextDocument): string {
    const list = this.edits
      .filter((e) => e.uri.toString() === doc.uri.toString())
      .map((e) => ({ start: doc.offsetAt(e.range.start), end: doc.offsetAt(e.range.end), newText: e.newText }))
      .sort((a, b) => b.start - a.start);
    for (let i = 1; i < list.length; i++) if (list[i]!.end > list[i - 1]!.start) throw new Error('overlapping edits');
    return list.reduce((text, e) => text.slice(0, e.start) + e.newText + text.slice(e.end), doc.getText());
  }
}
