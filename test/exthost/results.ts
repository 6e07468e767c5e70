// What the extension-host suite reports back to the process that started the editor.
export interface ExtensionHostResult {
  /** Suite titles, then the test's. */
  title: string[];
  state: 'passed' | 'failed' | 'skipped';
  durationMs: number;
  error?: string;
}

/** The environment variable naming the JSON file the suite writes its results to. */
export const RESULTS_ENV = 'TRACELENS_EXTHOST_RESULTS';
