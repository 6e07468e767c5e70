// Runs as the panel and click-to-assert see them: an interface, implemented by the Testing controller's executor,
// so that neither needs to know command ids or the Testing view.
import type * as vscode from 'vscode';
import type { TestKey } from '../run-store';

/** What the panel and click-to-assert may ask of the executor. */
export interface TestRuns {
  /** Sends the test's request and judges its new trace. */
  runTest(uri: vscode.Uri, key: TestKey): Promise<void>;
  /** Judges the file's tests (as they are now, unsaved edits included) against their last traces. */
  recheckFile(uri: vscode.Uri): Promise<void>;
}
