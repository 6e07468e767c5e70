// Completion and hover providers: adapt the pure computeCompletions/computeHover results to vscode objects.
import type * as vscode from 'vscode';
import type { VscodeApi } from '../editor/vscode-api';
import type { TestDocuments } from '../editor/test-documents';
import { computeCompletions, type LanguageSources, type Suggestion, type SuggestionKind } from './completions';
import { computeHover } from './hovers';

export type ProviderApi = Pick<VscodeApi, 'CompletionItem' | 'CompletionItemKind' | 'SnippetString' | 'MarkdownString' | 'Range' | 'Hover' | 'CompletionList'>;

export const TRIGGER_CHARACTERS = ['[', ':', '|', '"', "'", '=', ' ', '.'];

type Doc = Pick<vscode.TextDocument, 'getText' | 'offsetAt' | 'positionAt' | 'uri' | 'version'>;

/** Builds the per-request sources for a document: the trace of its test and the current variables. */
export type SourcesFor = (doc: Doc) => Promise<LanguageSources>;

/** Both answer only in Tracelens files (what the test documents hold), from the text of the version they parsed. */
export function createCompletionProvider(api: ProviderApi, documents: TestDocuments, sourcesFor: SourcesFor): vscode.CompletionItemProvider {
  return {
    async provideCompletionItems(doc, position) {
      const document = documents.of(doc);
      if (!document) return undefined;
      const sources = await sourcesFor(doc);
      const items = computeCompletions(document.text, doc.offsetAt(position), sources).map((s) => toItem(api, doc, s));
      return items.length > 0 ? new api.CompletionList(items, false) : undefined;
    },
  };
}

export function createHoverProvider(api: ProviderApi, documents: TestDocuments, sourcesFor: SourcesFor): vscode.HoverProvider {
  return {
    async provideHover(doc, position) {
      const document = documents.of(doc);
      if (!document) return undefined;
      const hover = computeHover(document.text, doc.offsetAt(position), await sourcesFor(doc));
      if (!hover || !hover.markdown) return undefined;
      return new api.Hover(new api.MarkdownString(hover.markdown), new api.Range(doc.positionAt(hover.start), doc.positionAt(hover.end)));
    },
  };
}

function kindOf(api: ProviderApi, kind: SuggestionKind): vscode.CompletionItemKind {
  const k = api.CompletionItemKind;
  const map: Record<SuggestionKind, vscode.CompletionItemKind> = {
    property: k.Property,
    value: k.Value,
    attribute: k.Field,
    operator: k.Operator,
    keyword: k.Keyword,
    function: k.Function,
    filter: k.Method,
    variable: k.Variable,
    snippet: k.Snippet,
  };
  return map[kind];
}

export function toItem(api: ProviderApi, doc: Pick<vscode.TextDocument, 'positionAt'>, s: Suggestion): vscode.CompletionItem {
  const item = new api.CompletionItem(s.label, kindOf(api, s.kind));
  if (s.detail) item.detail = s.detail;
  if (s.documentation) item.documentation = new api.MarkdownString(s.documentation);
  if (s.insertText !== undefined) item.insertText = s.snippet ? new api.SnippetString(s.insertText) : s.insertText;
  if (s.range) item.range = new api.Range(doc.positionAt(s.range.start), doc.positionAt(s.range.end));
  if (s.sortText) item.sortText = s.sortText;
  if (s.filterText) item.filterText = s.filterText;
  if (s.retrigger) item.command = { command: 'editor.action.triggerSuggest', title: 'Suggest' };
  return item;
}
