// What the tools installed on first use into .cache/ share: the marker file that says which versions are there, and
// an environment for the inner npm.
import { existsSync, readFileSync } from 'node:fs';

/** Whether `marker` (JSON) records exactly these versions and every file the install makes exists. */
export function isInstalled(marker: string, files: readonly string[], versions: Readonly<Record<string, string>>): boolean {
  if (!existsSync(marker) || !files.every((f) => existsSync(f))) return false;
  try {
    const recorded = JSON.parse(readFileSync(marker, 'utf8')) as Record<string, unknown>;
    return Object.entries(versions).every(([key, version]) => recorded[key] === version);
  } catch {
    return false;
  }
}

/**
 * Under `npm test` the environment carries the outer npm's settings (`npm_config_user_agent` names the outer Node,
 * which install scripts read as "the Node you are on"): the inner npm must start from a clean slate.
 */
export function withoutNpmVariables(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(env).filter(([key]) => !key.toLowerCase().startsWith('npm_')));
}
