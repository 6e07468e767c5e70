// The seam between activation and the run side. The built extension leaves this import to run time, as
// `require('./run.js')` of the separate run bundle (scripts/bundles.mjs); from source (the unit tests) it is an
// ordinary import. Values from the run bundle are its own copies of shared modules: compare errors and classes by
// shape or name across the seam, never with instanceof.
export type RunBundle = typeof import('../../run/run-bundle');

let loading: Promise<RunBundle> | undefined;

/** The run side, loaded on the first run, receiver start or protobuf trace file; later calls share it. */
export function loadRunBundle(): Promise<RunBundle> {
  loading ??= import('../../run/run-bundle');
  return loading;
}

export type LoadEditorBundle = typeof import('../load/load-editor');

let loadingLoadEditor: Promise<LoadEditorBundle> | undefined;

/** "Run under load…" (dist/load-editor.js in the build, required like the run bundle), loaded on its first use. */
export function loadLoadEditor(): Promise<LoadEditorBundle> {
  loadingLoadEditor ??= import('../load/load-editor');
  return loadingLoadEditor;
}
