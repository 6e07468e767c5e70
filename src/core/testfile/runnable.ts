// Whether a YAML file holds something to run, without parsing it: the editor asks this for every open YAML file.

const RUNNABLE_TYPE = /^(?:\uFEFF)?type[ \t]*:[ \t]*(["']?)(Test|TestSuite|Transaction)\1[ \t]*(?:#.*)?\r?$/m;

/** True when some document has a top-level `type: Test`, `TestSuite` or `Transaction`. */
export function isRunnableFile(text: string): boolean {
  return RUNNABLE_TYPE.test(text);
}
