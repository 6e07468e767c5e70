// Forms of Tracetest resources that its own tools wrote across its history (test-format.md): fields its server
// added on export, older field names, the empty `auth` blocks its UI wrote for "no auth", settings of other trigger
// types, Tracetest Cloud environments. Each is read with a warning saying what it means here, and a fix where a
// rewrite exists. The parsed document is normalised in memory before the schema sees it; fixes are computed
// against the file as written.
import { isMap, isScalar, type Pair, type Scalar, type YAMLMap } from 'yaml';
import type { Fix, Problem, ResourceKind } from './model';
import { problemAt, type Locate } from './problems';
import { removePair, renameKey } from './text-edits';
import { findPair, nodeRange, resolveNode, type YamlDoc, type YamlNode } from './yaml-nodes';

export interface LegacyForms {
  problems: Problem[];
  /** The document is a resource Tracelens has no use for (a Tracetest Cloud environment): no resource, no schema check. */
  unused: boolean;
}

/** Read-only fields Tracetest's server returned with a resource, which its export wrote into files. */
const SERVER_FIELDS = ['createdAt', 'version', 'summary', 'fullSteps'];

/** Older names: where they occur (below `spec`) and what they are called now. */
const RENAMED: ReadonlyArray<{ kind: ResourceKind; path: string[]; from: string; to: string }> = [
  { kind: 'Test', path: ['trigger', 'grpc'], from: 'protobuf_file', to: 'protobufFile' },
  { kind: 'Test', path: ['trigger', 'httpRequest'], from: 'authentication', to: 'auth' },
  { kind: 'Test', path: ['trigger', 'graphql'], from: 'authentication', to: 'auth' },
  { kind: 'Test', path: ['trigger', 'grpc'], from: 'authentication', to: 'auth' },
  { kind: 'DataStore', path: [], from: 'isdefault', to: 'default' },
];

/** The key holding each trigger type's settings. */
const TRIGGER_SECTIONS: ReadonlyMap<string, string> = new Map([
  ['http', 'httpRequest'],
  ['grpc', 'grpc'],
  ['graphql', 'graphql'],
  ['traceid', 'traceid'],
  ['kafka', 'kafka'],
  ['playwrightengine', 'playwrightEngine'],
]);

const AUTH_SCHEMES = ['apiKey', 'basic', 'bearer'];
const CLOUD_FIELDS = ['resources', 'agentConfiguration'];

export function readLegacyForms(text: string, locate: Locate, doc: YamlDoc, root: YAMLMap.Parsed, kind: ResourceKind, typeName: string): LegacyForms {
  const reader = new LegacyReader(text, locate, doc);
  const spec = reader.map(root, 'spec');
  if (!spec) return { problems: [], unused: false };
  if (typeName === 'Environment' && CLOUD_FIELDS.some((f) => findPair(spec, f))) {
    if (!findPair(spec, 'values')) {
      const typeValue = findPair(root, 'type')!.value as YamlNode;
      reader.warn(
        typeValue,
        'a Tracetest Cloud environment (it has `resources` or `agentConfiguration`), not a variable set: Tracelens does not use it; its variables would be in `values`',
      );
      return { problems: reader.problems, unused: true };
    }
    for (const field of CLOUD_FIELDS)
      reader.drop(spec, field, `\`${field}\` belongs to Tracetest Cloud environments and is ignored here`, `Remove \`${field}\``);
  }
  for (const field of SERVER_FIELDS) {
    reader.drop(
      spec,
      field,
      `\`${field}\` was added by Tracetest's server when it exported this file; it is ignored here`,
      `Remove \`${field}\` (added by Tracetest's server)`,
    );
  }
  const trigger = kind === 'Test' ? reader.map(spec, 'trigger') : undefined;
  const section = triggerSection(reader, trigger);
  for (const rename of RENAMED) {
    if (rename.kind !== kind) continue;
    const map = rename.path.reduce<YAMLMap.Parsed | undefined>((m, key) => reader.map(m, key), spec);
    if (map) reader.rename(map, rename.from, rename.to);
  }
  if (section === 'httpRequest' || section === 'graphql' || section === 'grpc') readAuth(reader, reader.map(trigger, section));
  reader.apply();
  return { problems: reader.problems, unused: false };
}

/** The settings key of the trigger's type; the settings of other types are left out with a warning. */
function triggerSection(reader: LegacyReader, trigger: YAMLMap.Parsed | undefined): string | undefined {
  const typeNode = reader.node(trigger, 'type');
  const type = isScalar(typeNode) && typeof typeNode.value === 'string' ? typeNode.value : undefined;
  const own = type === undefined ? undefined : TRIGGER_SECTIONS.get(type);
  if (!trigger || !own) return undefined;
  for (const section of TRIGGER_SECTIONS.values()) {
    if (section !== own)
      reader.drop(trigger, section, `\`${section}\` is ignored: this trigger's \`type\` is \`${type}\``, `Remove the unused \`${section}\` settings`);
  }
  return own;
}

/** Tracetest's UI wrote `auth: {apiKey: {}, basic: {}, bearer: {}}` for "no auth", and empty blocks of the schemes not chosen. */
function readAuth(reader: LegacyReader, request: YAMLMap.Parsed | undefined): void {
  const authPair = reader.pair(request, 'auth');
  const auth = reader.map(request, 'auth');
  if (!request || !authPair || !auth) return;
  const typeNode = reader.node(auth, 'type');
  const type = isScalar(typeNode) && typeNode.value !== null && typeNode.value !== '' ? String(typeNode.value) : undefined;
  if (type === undefined) {
    const blank = auth.items.every((p) => isScalar(p.key) && (p.key.value === 'type' || AUTH_SCHEMES.includes(String(p.key.value))) && reader.isBlank(p.value));
    if (blank)
      reader.drop(
        request,
        'auth',
        '`auth` without `type` means no authentication (Tracetest wrote empty blocks for none): nothing is added to the request',
        'Remove the empty `auth` block',
      );
    else
      reader.drop(
        request,
        'auth',
        '`auth` has no `type`, so no authentication is added to the request; set `type` (apiKey, basic or bearer) to use these settings',
      );
    return;
  }
  for (const scheme of AUTH_SCHEMES) {
    if (scheme === type || !reader.isBlank(reader.pair(auth, scheme)?.value)) continue;
    reader.drop(auth, scheme, `the empty \`${scheme}\` block is ignored: \`type\` is \`${type}\``, `Remove the empty \`${scheme}\` block`);
  }
}

/** Collects warnings and fixes against the document as parsed; changes it only in `apply`, so fixes see the original. */
class LegacyReader {
  readonly problems: Problem[] = [];
  private readonly changes: Array<() => void> = [];
  private readonly dropped = new Set<Pair>();
  /** Pairs under their new name, before `apply` renames them. */
  private readonly renamed = new Map<YAMLMap, Map<string, Pair>>();

  constructor(
    private readonly text: string,
    private readonly locate: Locate,
    private readonly doc: YamlDoc,
  ) {}

  node(map: YAMLMap | undefined, key: string): YamlNode | undefined {
    return resolveNode(this.doc, this.pair(map, key)?.value);
  }

  map(map: YAMLMap | undefined, key: string): YAMLMap.Parsed | undefined {
    const node = this.node(map, key);
    return isMap(node) ? node : undefined;
  }

  /** The pair of `key`, as it will read after renames (`auth` may still be spelled `authentication`). */
  pair(map: YAMLMap | undefined, key: string): Pair | undefined {
    if (!map) return undefined;
    const pair = findPair(map, key) ?? this.renamed.get(map)?.get(key);
    return pair && !this.dropped.has(pair) ? pair : undefined;
  }

  /** An empty map, an empty value, or a map of those (`{}`, `~`, `""`, `{username: ""}`). */
  isBlank(value: unknown): boolean {
    const node = resolveNode(this.doc, value);
    if (!node) return true;
    if (isScalar(node)) return node.value === null || node.value === '';
    return isMap(node) && node.items.every((p) => this.isBlank(p.value));
  }

  warn(node: YamlNode | Scalar.Parsed, message: string, fix?: Fix): void {
    this.problems.push({ ...problemAt(this.locate, nodeRange(node), message, 'compat', 'warning'), ...(fix ? { fix } : {}) });
  }

  /** Warns about `key` of `map` (if present) and leaves it out of the resource; `fixTitle` offers removing it. */
  drop(map: YAMLMap.Parsed, key: string, message: string, fixTitle?: string): void {
    const pair = this.pair(map, key);
    if (!pair) return;
    const edit = fixTitle ? removePair(this.text, map, pair) : undefined;
    this.warn(pair.key as Scalar.Parsed, message, edit ? { title: fixTitle!, edits: [edit] } : undefined);
    this.dropped.add(pair);
    this.changes.push(() => map.items.splice(map.items.indexOf(pair as (typeof map.items)[number]), 1));
  }

  rename(map: YAMLMap.Parsed, from: string, to: string): void {
    const pair = findPair(map, from);
    if (!pair) return;
    if (findPair(map, to)) {
      this.drop(map, from, `\`${from}\` is the older name of \`${to}\`, which is also set: \`${from}\` is ignored`, `Remove \`${from}\``);
      return;
    }
    const key = pair.key as Scalar.Parsed;
    this.warn(key, `\`${from}\` is the older name of \`${to}\`; read as \`${to}\``, {
      title: `Rename \`${from}\` to \`${to}\``,
      edits: [renameKey(this.text, key, to)],
    });
    const names = this.renamed.get(map) ?? new Map<string, Pair>();
    this.renamed.set(map, names.set(to, pair));
    this.changes.push(() => (key.value = to));
  }

  /** Normalises the document: what the schema and the reader see from now on. */
  apply(): void {
    for (const change of this.changes) change();
  }
}
