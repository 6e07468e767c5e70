// "Where am I?" for a Tracelens test file: combines the YAML position with the language of the value under the
// cursor (selector, assertion, output value, trigger template) and the place inside it. Pure: no vscode.
import { documentInfoAt, type DocumentInfo } from './document-info';
import { expressionPlaceAt, type ExpressionMode, type ExpressionPlace } from './expression-place';
import { schemaAt, type SchemaNode } from './schema-walk';
import { selectorPlaceAt, type SelectorPlace } from './selector-place';
import { ITEM, yamlPositionAt, type ScalarText, type YamlPath, type YamlPosition } from './yaml-position';

export type KeyPosition = Extract<YamlPosition, { kind: 'key' }>;
export type ValuePosition = Extract<YamlPosition, { kind: 'value' }>;

export type ValueLanguage = 'selector' | ExpressionMode;

export type LanguageContext =
  | { kind: 'key'; yaml: KeyPosition; schema: SchemaNode | undefined; info: DocumentInfo }
  | { kind: 'value'; yaml: ValuePosition; schema: SchemaNode | undefined; info: DocumentInfo }
  | { kind: 'selector'; yaml: ValuePosition; place: SelectorPlace | undefined; info: DocumentInfo }
  | { kind: 'expression'; yaml: ValuePosition; mode: ExpressionMode; place: ExpressionPlace | undefined; info: DocumentInfo };

/** Which of the test languages a value at `path` is written in, if any. */
export function languageOf(path: YamlPath): ValueLanguage | undefined {
  if (path[0] !== 'spec') return undefined;
  const last = path[path.length - 1];
  const isSelector = last === 'selector' || (last === 'query' && path[path.length - 2] === 'selector');
  if (path[1] === 'specs') {
    if (isSelector && path.length <= 5) return 'selector';
    if (last === ITEM && path[path.length - 2] === 'assertions') return 'assertion';
    return undefined;
  }
  if (path[1] === 'outputs') {
    if (isSelector) return 'selector';
    if (last === 'value') return 'expression';
    return undefined;
  }
  if (path[1] === 'trigger') return 'template';
  return undefined;
}

export function contextAt(text: string, offset: number): LanguageContext | undefined {
  const yaml = yamlPositionAt(text, offset, (path) => languageOf(path) === 'assertion');
  if (!yaml) return undefined;
  const info = documentInfoAt(text, offset);
  if (yaml.kind === 'key') return { kind: 'key', yaml, schema: schemaAt(info.typeName, yaml.path), info };
  const language = info.typeName === 'Test' ? languageOf(yaml.path) : undefined;
  if (language === 'selector') return { kind: 'selector', yaml, place: selectorPlaceAt(yaml.scalar.text, yaml.cursor), info };
  if (language) {
    const place = expressionPlaceAt(yaml.scalar.text, yaml.cursor, language);
    // Outside `${…}` a trigger field is plain YAML (e.g. `method:`, whose values come from the schema).
    if (place || language !== 'template') return { kind: 'expression', yaml, mode: language, place, info };
  }
  return { kind: 'value', yaml, schema: schemaAt(info.typeName, yaml.path), info };
}

/** File offset of character `index` of a scalar (its end when `index` is past the last character). */
export function fileOffset(scalar: ScalarText, index: number): number {
  if (index < scalar.offsets.length) return scalar.offsets[index]!;
  if (scalar.offsets.length > 0) return scalar.offsets[scalar.offsets.length - 1]! + 1;
  return scalar.style === 'double' || scalar.style === 'single' ? scalar.start + 1 : scalar.start;
}
