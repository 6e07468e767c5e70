// Whether a YAML file holds something to run, or any Tracelens resource, without parsing it: the editor asks
// this for every open YAML file, the CLI for every YAML file under a directory.

const RUNNABLE_TYPE = /^(?:\uFEFF)?type[ \t]*:[ \t]*(["']?)(Test|TestSuite|Transaction)\1[ \t]*(?:#.*)?\r?$/m;
const ANY_TYPE = /^(?:\uFEFF)?type[ \t]*:[ \t]*\S/m;

/** True when some document has a top-level `type: Test`, `TestSuite` or `Transaction`. */
export function isRunnableFile(text: string): boolean {
  return RUNNABLE_TYPE.test(text);
}

/** True when some document has a top-level `type:`: a resource of some kind, worth validating. */
export function isResourceFile(text: string): boolean {
  return ANY_TYPE.test(text);
}
