// What a run in the editor needs from the editor's runtime (receiver, settings, variables, log): implemented by
// the runtime, consumed by the Testing controller, so that the two can be built and tested apart.
import type { GateSettings } from '../../core/analyzer/index';
import type { PollingProfileDef } from '../../core/testfile/model';
import type { TraceSource } from '../../run/sources/types';
import type { Timing } from '../../run/timing';

export interface RunEnvironment {
  /**
   * Where live runs get traces: the embedded OTLP receiver (started on demand, shared by every run of the window)
   * or the configured data store. Rejects with an Error whose message is for the user (e.g. "port 4318 is in use…").
   */
  acquireSource(): Promise<TraceSource>;
  /** The active VariableSet's values, secrets included (from SecretStorage), for `${var:…}`. */
  variables(): Promise<Map<string, string>>;
  /** PollingProfiles of the workspace. */
  pollingProfiles(): Promise<PollingProfileDef[]>;
  /** The workspace's Analyzer and TestRunner (defaults without them). */
  gateSettings(): Promise<GateSettings>;
  /** Settings that override profiles (timeout, quiet window). */
  timing(): Partial<Timing>;
  /** One line to the Tracelens output channel. */
  log(line: string): void;
}
