// What a run in the editor needs from the editor's runtime (receiver, settings, variables, log): implemented by
// the runtime, consumed by the Testing controller, so that the two can be built and tested apart.
import type { GateSettings } from '../../core/analyzer/index';
import type { PollingProfileDef } from '../../core/testfile/model';
import type { TraceSource } from '../../run/sources/types';
import type { PlaywrightRunSettings } from '../../run/test-run';
import type { Timing } from '../../run/timing';
import type { RunVariables } from '../../run/variables';
import type { VariablesOptions } from './variables';
import type { FileReferences } from '../../run/triggers/files';

export interface RunEnvironment {
  /**
   * Where live runs get traces: the embedded OTLP receiver (started on demand, shared by every run of the window)
   * or the configured data store. Rejects with an Error whose message is for the user (e.g. "port 4318 is in use…").
   */
  acquireSource(): Promise<TraceSource>;
  /**
   * The active VariableSet's values, secrets included (from SecretStorage, asked for when missing unless
   * `ask: false`), for `${var:…}`, and which of them are secret (masked in everything shown).
   */
  variables(options?: VariablesOptions): Promise<RunVariables>;
  /** PollingProfiles of the workspace. */
  pollingProfiles(): Promise<PollingProfileDef[]>;
  /** The workspace's Analyzer and TestRunner (defaults without them). */
  gateSettings(): Promise<GateSettings>;
  /** Settings that override profiles (timeout, quiet window). */
  timing(): Partial<Timing>;
  /** For `playwrightengine` tests: the browser and time limit from the settings, and where Playwright traces go. */
  playwright(): PlaywrightRunSettings;
  /** Where the files a test's trigger names may be: its workspace folder, unless the user allows more. */
  fileReferences(testFile: string): FileReferences;
  /** One line to the Tracelens output channel (secrets the runtime has handed out are masked in it). */
  log(line: string): void;
}
