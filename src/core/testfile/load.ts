// Loading a test file: YAML with positions → schema check per document → typed resources, problems as values.
import { isMap, isScalar, isSeq, LineCounter, parseAllDocuments, type YAMLError } from 'yaml';
import { convertResource } from './convert';
import { kindOfType, RESOURCE_TYPES } from './kinds';
import { readLegacyForms } from './legacy-forms';
import { readLegacyLanguage } from './legacy-language';
import type { LoadedFile, LoadedResource, Problem, Range, ResourceDef } from './model';
import { problemAt, type Locate } from './problems';
import { YamlReader } from './reader';
import { validatorFor } from './schema';
import { schemaProblems } from './schema-problems';
import { findPair, headRange, isEmptyNode, nodeRange, resolveNode, type YamlDoc } from './yaml-nodes';

const TYPE_NAMES = Object.keys(RESOURCE_TYPES).join(', ');

export function loadFile(text: string, fileName: string): LoadedFile {
  const lineCounter = new LineCounter();
  const parsed = parseAllDocuments(text, { lineCounter, prettyErrors: false });
  const locate: Locate = (offset) => {
    const { line, col } = lineCounter.linePos(offset);
    return { line, column: col };
  };
  const problems: Problem[] = [];
  const resources: LoadedResource[] = [];
  const addYamlProblems = (errors: readonly YAMLError[], severity: Problem['severity']): void => {
    for (const e of errors) problems.push(problemAt(locate, yamlErrorRange(text, e), e.message, 'yaml', severity));
  };
  if ('empty' in parsed) {
    addYamlProblems(parsed.errors, 'error');
    addYamlProblems(parsed.warnings, 'warning');
    return { fileName, text, resources, problems };
  }
  parsed.forEach((doc, document) => {
    addYamlProblems(doc.errors, 'error');
    addYamlProblems(doc.warnings, 'warning');
    const contents = doc.contents;
    if (doc.errors.length === 0 && (!contents || (isScalar(contents) && contents.value === null && isEmptyNode(contents)))) return;
    const entry: LoadedResource = { document, range: { start: doc.range[0], end: doc.range[1] } };
    if (doc.errors.length === 0) {
      const loaded = loadResource(text, locate, doc);
      problems.push(...loaded.problems);
      if (loaded.resource) entry.resource = loaded.resource;
    }
    resources.push(entry);
  });
  problems.sort((a, b) => a.range.start - b.range.start);
  return { fileName, text, resources, problems };
}

function yamlErrorRange(text: string, error: YAMLError): Range {
  const [start, end] = error.pos;
  return { start, end: end > start || start >= text.length ? end : start + 1 };
}

function loadResource(text: string, locate: Locate, doc: YamlDoc): { resource?: ResourceDef; problems: Problem[] } {
  const fail = (range: Range, message: string): { problems: Problem[] } => ({ problems: [problemAt(locate, range, message, 'schema')] });
  const root = resolveNode(doc, doc.contents);
  if (!isMap(root)) {
    const got = isSeq(root) ? 'a list' : 'a single value';
    return fail(root ? headRange(text, root) : { start: 0, end: 0 }, `a resource must be a map with \`type\` and \`spec\`; got ${got}`);
  }
  const typePair = findPair(root, 'type');
  if (!typePair) return fail(headRange(text, root), `missing required property \`type\` in resource (one of: ${TYPE_NAMES})`);
  const typeNode = resolveNode(doc, typePair.value);
  const typeName = isScalar(typeNode) && typeof typeNode.value === 'string' ? typeNode.value : undefined;
  const kind = typeName === undefined ? undefined : kindOfType(typeName);
  if (!kind || typeName === undefined) {
    const at = typeNode && !isEmptyNode(typeNode) ? nodeRange(typeNode) : nodeRange(typePair.key as { range: [number, number, number] });
    const got = typeNode && !isEmptyNode(typeNode) ? `; got \`${text.slice(at.start, at.end)}\`` : '';
    return fail(at, `\`type\` must be one of ${TYPE_NAMES}${got}`);
  }
  const legacy = readLegacyForms(text, locate, doc, root, kind, typeName);
  if (legacy.unused) return { problems: legacy.problems };
  let data: unknown;
  try {
    data = doc.toJS();
  } catch (error) {
    // Only alias bombs get here ("excessive alias count").
    return { problems: [problemAt(locate, headRange(text, root), (error as Error).message, 'yaml')] };
  }
  const validate = validatorFor(kind);
  if (!validate(data)) return { problems: [...legacy.problems, ...schemaProblems(text, locate, doc, typeName, validate.errors ?? [])] };
  const reader = new YamlReader(text, doc);
  const resource = convertResource(reader, kind, typeName, reader.map(root, 'spec')!);
  if (resource.kind !== 'Test') return { resource, problems: legacy.problems };
  const language = readLegacyLanguage(text, locate, resource);
  return { resource: language.test, problems: [...legacy.problems, ...language.problems] };
}
