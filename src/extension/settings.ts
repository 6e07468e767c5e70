// The one place that reads `tracelens.*` settings (package.json `contributes.configuration` declares them).
import type { VscodeApi } from './editor/vscode-api';
import { parseGoDuration } from '../core/testfile/index';
import { DEFAULT_SCRIPT_TIMEOUT_MS } from '../run/triggers/playwright/playwright-trigger';
import { parseByteSize } from '../run/sources/otlp/limits';
import { DEFAULT_STORE_LIMITS, MIN_STORE_BYTES } from '../run/sources/otlp/store';

export interface Settings {
  httpPort: number;
  grpcPort: number;
  host: string;
  /** Estimated bytes the receiver keeps spans in. */
  maxBytes: number;
  /** Spans the receiver keeps of one trace. */
  maxSpansPerTrace: number;
  /** Web origins besides loopback ones that may send traces to the receiver. */
  corsOrigins: string[];
  /** Tests may read files outside their workspace folder. */
  allowFileReferencesOutsideWorkspace: boolean;
  /** '' = the embedded receiver; else `jaeger=<url>`, `tempo=<url>`, `file=<path>` or a DataStore file path. */
  dataStore: string;
  timeoutMs: number;
  quietMs: number;
  /** How long spans a run still expects are waited for once nothing arrives. */
  exportDelayMs: number;
  /** Workspace-relative path of the active VariableSet file, or ''. */
  variableSet: string;
  codeLens: boolean;
  decorations: boolean;
  /** A run that fails opens its trace panel beside the editor. */
  openPanelOnFailure: boolean;
  /** The browser for `playwrightengine` tests, or '' to look for one. */
  playwrightExecutablePath: string;
  playwrightTimeoutMs: number;
  /** Runs kept per test in the run history (0: none), and the bytes it may take in all. */
  historyRuns: number;
  historyMaxBytes: number;
}

export const SETTINGS_SECTION = 'tracelens';

/** Reads the current settings; durations that do not parse fall back to the defaults. */
export function readSettings(workspace: Pick<VscodeApi['workspace'], 'getConfiguration'>): Settings {
  const c = workspace.getConfiguration(SETTINGS_SECTION);
  const duration = (key: string, fallback: number) => parseGoDuration((c.get<string>(key, '') ?? '').trim()) ?? fallback;
  return {
    httpPort: c.get<number>('otlp.httpPort', 4318),
    grpcPort: c.get<number>('otlp.grpcPort', 4317),
    host: c.get<string>('otlp.host', '127.0.0.1'),
    // Below the minimum (or not a size, which the settings editor does not let through): the nearest sensible value.
    maxBytes: Math.max(MIN_STORE_BYTES, parseByteSize(c.get<string>('otlp.maxBytes', '') ?? '') ?? DEFAULT_STORE_LIMITS.maxBytes),
    maxSpansPerTrace: wholeNumber(c.get<unknown>('otlp.maxSpansPerTrace', undefined), 1) ?? DEFAULT_STORE_LIMITS.maxSpansPerTrace,
    corsOrigins: (c.get<unknown[]>('otlp.corsOrigins', []) ?? []).filter((o): o is string => typeof o === 'string'),
    allowFileReferencesOutsideWorkspace: c.get<boolean>('allowFileReferencesOutsideWorkspace', false) === true,
    dataStore: c.get<string>('dataStore', '').trim(),
    timeoutMs: duration('timeout', 30_000),
    quietMs: duration('quietWindow', 300),
    exportDelayMs: duration('exportDelay', 5_500),
    variableSet: c.get<string>('variableSet', '').trim(),
    codeLens: c.get<boolean>('codeLens.enabled', true),
    decorations: c.get<boolean>('decorations.enabled', true),
    openPanelOnFailure: c.get<boolean>('panel.openOnFailure', true),
    playwrightExecutablePath: c.get<string>('playwright.executablePath', '').trim(),
    playwrightTimeoutMs: duration('playwright.timeout', DEFAULT_SCRIPT_TIMEOUT_MS),
    historyRuns: wholeNumber(c.get<unknown>('history.runs', undefined), 0) ?? 20,
    historyMaxBytes: parseByteSize(c.get<string>('history.maxBytes', '') ?? '') ?? 50 * 1024 * 1024,
  };
}

/** The number when it is a whole number of at least `min` (settings.json can hold anything the settings editor would refuse). */
function wholeNumber(value: unknown, min: number): number | undefined {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= min ? value : undefined;
}
