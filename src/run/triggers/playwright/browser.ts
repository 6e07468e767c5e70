// Which Chromium runs a `playwrightengine` script, in this order: the path the user chose (the editor setting
// `tracelens.playwright.executablePath`, the CLI flag `--browser`), the environment variable
// PLAYWRIGHT_CHROMIUM_EXECUTABLE_PATH, the Chromium Playwright installed (`npx playwright install chromium`), then
// `chromium` or `google-chrome` on PATH. Playwright's own browsers are never downloaded here.
import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';

export const EXECUTABLE_PATH_SETTING = 'tracelens.playwright.executablePath';
export const BROWSER_FLAG = '--browser';
export const BROWSER_ENV = 'PLAYWRIGHT_CHROMIUM_EXECUTABLE_PATH';
/** Names Chromium and Chrome are installed under by Linux distributions and Google's packages. */
export const PATH_NAMES = ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable'] as const;

/** A browser path the user gave, with where it was given ("setting tracelens.playwright.executablePath"). */
export interface ChosenBrowser {
  path: string;
  from: string;
}

export interface BrowserSearch {
  /** The setting, then the flag: whichever the host has, in that order. */
  chosen: readonly ChosenBrowser[];
  env: (name: string) => string | undefined;
  /** Where Playwright keeps the Chromium it installs (playwright-core's `chromium.executablePath()`). */
  playwrightChromium: () => string | undefined;
  /** Overridable for tests. */
  isExecutable?: (path: string) => boolean;
}

export type FoundBrowser = { ok: true; path: string; from: string } | { ok: false; message: string };

export function findBrowser(search: BrowserSearch): FoundBrowser {
  const isExecutable = search.isExecutable ?? isExecutableFile;
  const explicit = search.chosen.filter((c) => c.path.trim() !== '');
  const fromEnv = search.env(BROWSER_ENV)?.trim();
  if (fromEnv) explicit.push({ path: fromEnv, from: `environment variable ${BROWSER_ENV}` });
  // A path the user gave is what they want: when it is wrong, say so rather than quietly run another browser.
  const first = explicit[0];
  if (first) {
    return isExecutable(first.path)
      ? { ok: true, path: first.path, from: first.from }
      : { ok: false, message: `no browser at ${first.path} (${first.from}): the file does not exist or is not executable` };
  }
  const looked: string[] = [];
  const installed = playwrightChromium(search);
  if (installed && isExecutable(installed)) return { ok: true, path: installed, from: "Playwright's Chromium" };
  looked.push(installed ? `Playwright's Chromium (${installed}: not installed)` : "Playwright's Chromium");
  const names = process.platform === 'win32' ? PATH_NAMES.map((n) => `${n}.exe`) : [...PATH_NAMES];
  for (const dir of (search.env('PATH') ?? '').split(delimiter).filter(Boolean)) {
    for (const name of names) {
      const path = join(dir, name);
      if (isExecutable(path)) return { ok: true, path, from: `${name} on PATH` };
    }
  }
  looked.push(`${names.join(', ')} on PATH`);
  return {
    ok: false,
    message:
      `no Chromium found: no browser was named (setting ${EXECUTABLE_PATH_SETTING}, flag ${BROWSER_FLAG}, ${BROWSER_ENV}), ` +
      `and there is no ${looked.join(' nor ')}. Install Chromium or Chrome, or name one of its executables there`,
  };
}

function playwrightChromium(search: BrowserSearch): string | undefined {
  try {
    return search.playwrightChromium();
  } catch {
    // Playwright does not know this platform: there is no Chromium of its own to look for.
    return undefined;
  }
}

function isExecutableFile(path: string): boolean {
  try {
    if (!statSync(path).isFile()) return false;
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
