// Resources as loaded from YAML test files, with the source range of every field editor features point at.

/** Offsets into the whole file text: [start, end). */
export interface Range {
  start: number;
  end: number;
}

/**
 * A string field together with where it came from. `range` covers the whole YAML node (quotes included).
 * `valueOffsets[i]` is the file offset of character i of `value`, or undefined when the scalar's escapes or
 * folding make the mapping unknowable (then point at `range.start`). Use `offsetOf()`.
 */
export interface SourceString {
  value: string;
  range: Range;
  valueOffsets?: number[];
}

export function offsetOf(s: SourceString, index: number): number {
  if (!s.valueOffsets) return s.range.start;
  if (index >= s.valueOffsets.length) return s.valueOffsets.length > 0 ? s.valueOffsets[s.valueOffsets.length - 1]! + 1 : s.range.start;
  return s.valueOffsets[Math.max(0, index)]!;
}

export type ResourceKind = 'Test' | 'TestSuite' | 'VariableSet' | 'PollingProfile' | 'DataStore' | 'Config' | 'Analyzer' | 'TestRunner' | 'Demo';

export interface KeyValue {
  key: SourceString;
  value: SourceString;
}

export type AuthDef =
  | { type: 'apiKey'; apiKey: { key: SourceString; value: SourceString; in: 'header' | 'query' } }
  | { type: 'basic'; basic: { username: SourceString; password: SourceString } }
  | { type: 'bearer'; bearer: { token: SourceString } };

export interface HttpTrigger {
  type: 'http';
  method: string;
  url: SourceString;
  headers: KeyValue[];
  body?: SourceString;
  auth?: AuthDef;
  sslVerification: boolean;
}

export interface GraphqlTrigger {
  type: 'graphql';
  url: SourceString;
  headers: KeyValue[];
  auth?: AuthDef;
  body: { query?: SourceString; variables?: SourceString; operationName?: SourceString };
  sslVerification: boolean;
  schema?: SourceString;
}

export interface GrpcTrigger {
  type: 'grpc';
  protobufFile?: SourceString;
  address: SourceString;
  service?: SourceString;
  method: SourceString;
  request?: SourceString;
  metadata: KeyValue[];
  auth?: AuthDef;
}

export interface TraceIdTrigger {
  /** `traceid` and the trace-id based types that take the id from variables. */
  type: 'traceid' | 'cypress' | 'playwright' | 'k6' | 'artillery';
  id?: SourceString;
}

export interface KafkaTrigger {
  type: 'kafka';
  brokerUrls: SourceString[];
  topic: SourceString;
  headers: KeyValue[];
  messageKey?: SourceString;
  messageValue?: SourceString;
  sslVerification: boolean;
  authentication?: { type: 'plain'; plain: { username: SourceString; password: SourceString } };
}

export interface PlaywrightEngineTrigger {
  type: 'playwrightengine';
  /** The URL the page is opened on (templated). */
  target: SourceString;
  /** JavaScript text, or the path of a file relative to the test file. */
  script: SourceString;
  /** Name of the function the script exports, called with the page. */
  method: SourceString;
}

export type TriggerDef = HttpTrigger | GraphqlTrigger | GrpcTrigger | TraceIdTrigger | KafkaTrigger | PlaywrightEngineTrigger;

export interface SpecDef {
  name?: SourceString;
  selector: SourceString;
  assertions: SourceString[];
  /** The whole spec item (list item or legacy map entry). */
  range: Range;
}

export interface OutputDef {
  name: SourceString;
  selector: SourceString;
  value: SourceString;
  range: Range;
}

export interface TestDef {
  kind: 'Test';
  id?: SourceString;
  name?: SourceString;
  description?: SourceString;
  trigger: TriggerDef;
  specs: SpecDef[];
  outputs: OutputDef[];
  skipTraceCollection: boolean;
  pollingProfile?: SourceString;
}

export interface TestSuiteDef {
  kind: 'TestSuite';
  /** `Transaction` in older files. */
  alias: 'TestSuite' | 'Transaction';
  id?: SourceString;
  name?: SourceString;
  description?: SourceString;
  /** Paths relative to the suite file, or test ids. */
  steps: SourceString[];
}

export interface VariableDef {
  key: SourceString;
  value: SourceString;
  type: 'raw' | 'secret';
}

export interface VariableSetDef {
  kind: 'VariableSet';
  alias: 'VariableSet' | 'Environment';
  id?: SourceString;
  name?: SourceString;
  description?: SourceString;
  values: VariableDef[];
}

export interface PollingProfileDef {
  kind: 'PollingProfile';
  id?: SourceString;
  name?: SourceString;
  default: boolean;
  /** Milliseconds, parsed from Go-style durations. */
  retryDelayMs?: number;
  timeoutMs?: number;
  selectorMatchRetries?: number;
  /** Tracelens' own field: how long spans still expected are waited for (`periodic.exportDelay`). */
  exportDelayMs?: number;
}

export interface DataStoreDef {
  kind: 'DataStore';
  id?: SourceString;
  name?: SourceString;
  type: string;
  default: boolean;
  /** The type-specific sub-object as plain data (e.g. `jaeger: {endpoint, tls}`), for the runner's sources. */
  settings: Record<string, unknown>;
}

export type AnalyzerErrorLevel = 'error' | 'warning' | 'disabled';

/** The analyzer's settings as written; what is left out keeps its default (src/core/analyzer/config.ts). */
export interface AnalyzerDef {
  kind: 'Analyzer';
  id?: SourceString;
  name?: SourceString;
  enabled?: boolean;
  minimumScore?: number;
  plugins: Array<{
    id: SourceString;
    enabled?: boolean;
    rules: Array<{ id: SourceString; weight?: number; errorLevel?: AnalyzerErrorLevel }>;
  }>;
}

export interface TestRunnerDef {
  kind: 'TestRunner';
  id?: SourceString;
  name?: SourceString;
  /** Undefined when the file leaves it out (the default applies); an empty list requires no gate. */
  requiredGates?: SourceString[];
}

/** Kinds that are schema-checked but not interpreted (Config, Demo). */
export interface OtherResourceDef {
  kind: 'Config' | 'Demo';
  spec: Record<string, unknown>;
}

export type ResourceDef = TestDef | TestSuiteDef | VariableSetDef | PollingProfileDef | DataStoreDef | AnalyzerDef | TestRunnerDef | OtherResourceDef;

/** `compat`: a form Tracetest's tools wrote that is read here with a warning (test-format.md). */
export type ProblemSource = 'yaml' | 'schema' | 'selector' | 'expression' | 'compat';

/** Replace `[start, end)` of the original text with `newText` (an insertion when start === end). */
export interface TextEdit {
  start: number;
  end: number;
  newText: string;
}

/** A rewrite that removes a problem: minimal edits of the file's text, for the editor's quick fix. */
export interface Fix {
  title: string;
  edits: TextEdit[];
}

/** A problem in a file, with both offsets and 1-based line/column for printing `file:line:column: message`. */
export interface Problem {
  severity: 'error' | 'warning';
  source: ProblemSource;
  message: string;
  range: Range;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  fix?: Fix;
}

export interface LoadedResource {
  /** Index of the YAML document in the file (0-based). */
  document: number;
  /** The whole document's range. */
  range: Range;
  /** Undefined when the document is not a valid resource, or one Tracelens has no use for (see problems). */
  resource?: ResourceDef;
}

export interface LoadedFile {
  fileName: string;
  text: string;
  resources: LoadedResource[];
  problems: Problem[];
}
