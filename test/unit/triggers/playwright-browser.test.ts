// Which browser a `playwrightengine` trigger runs: the order of the places looked at, and what is said when none
// has one. Executables are faked; the real lookup runs in playwright.test.ts.
import assert from 'node:assert/strict';
import { delimiter, join } from 'node:path';
import { describe, test } from 'node:test';
import { findBrowser, type BrowserSearch } from '../../../src/run/triggers/playwright/browser';

const PLAYWRIGHT_CHROMIUM = '/home/me/.cache/ms-playwright/chromium-1255/chrome-linux64/chrome';
const SETTING = { path: '/opt/setting/chrome', from: 'setting tracelens.playwright.executablePath' };
const FLAG = { path: '/opt/flag/chrome', from: 'flag --browser' };
const PATH = ['/usr/local/bin', '/usr/bin'].join(delimiter);

function search(executables: string[], overrides: Partial<BrowserSearch> = {}, env: Record<string, string> = {}): BrowserSearch {
  return {
    chosen: [],
    env: (name) => ({ PATH, ...env })[name],
    playwrightChromium: () => PLAYWRIGHT_CHROMIUM,
    isExecutable: (path) => executables.includes(path),
    ...overrides,
  };
}

describe('finding the browser', () => {
  const everything = [SETTING.path, FLAG.path, '/opt/env/chrome', PLAYWRIGHT_CHROMIUM, '/usr/bin/chromium', '/usr/local/bin/google-chrome'];
  const env = { PLAYWRIGHT_CHROMIUM_EXECUTABLE_PATH: '/opt/env/chrome' };

  test("the setting, the flag, the environment variable, Playwright's Chromium, then PATH", () => {
    assert.deepEqual(findBrowser(search(everything, { chosen: [SETTING, FLAG] }, env)), { ok: true, ...SETTING });
    assert.deepEqual(findBrowser(search(everything, { chosen: [FLAG] }, env)), { ok: true, ...FLAG });
    assert.deepEqual(findBrowser(search(everything, {}, env)), {
      ok: true,
      path: '/opt/env/chrome',
      from: 'environment variable PLAYWRIGHT_CHROMIUM_EXECUTABLE_PATH',
    });
    assert.deepEqual(findBrowser(search(everything)), { ok: true, path: PLAYWRIGHT_CHROMIUM, from: "Playwright's Chromium" });
    assert.deepEqual(findBrowser(search(everything.filter((p) => p !== PLAYWRIGHT_CHROMIUM))), {
      ok: true,
      path: '/usr/local/bin/google-chrome',
      from: 'google-chrome on PATH',
    });
  });

  test('on PATH, directories in order, and in each chromium before google-chrome', () => {
    const inBoth = ['/usr/local/bin/google-chrome-stable', '/usr/local/bin/chromium-browser', '/usr/bin/chromium'];
    assert.deepEqual(findBrowser(search(inBoth)), { ok: true, path: join('/usr/local/bin', 'chromium-browser'), from: 'chromium-browser on PATH' });
    assert.deepEqual(findBrowser(search(['/usr/bin/google-chrome', '/usr/bin/chromium'])), { ok: true, path: '/usr/bin/chromium', from: 'chromium on PATH' });
  });

  test('a path the user gave that is wrong is an error, not a quiet fall-back to another browser', () => {
    assert.deepEqual(findBrowser(search(everything, { chosen: [{ path: '/typo/chrome', from: 'flag --browser' }] })), {
      ok: false,
      message: 'no browser at /typo/chrome (flag --browser): the file does not exist or is not executable',
    });
    assert.deepEqual(findBrowser(search(everything, {}, { PLAYWRIGHT_CHROMIUM_EXECUTABLE_PATH: '/typo/env' })), {
      ok: false,
      message: 'no browser at /typo/env (environment variable PLAYWRIGHT_CHROMIUM_EXECUTABLE_PATH): the file does not exist or is not executable',
    });
    assert.equal(
      findBrowser(search(everything, { chosen: [{ path: '  ', from: 'setting tracelens.playwright.executablePath' }] })).ok,
      true,
      'an empty setting is no setting',
    );
  });

  test('when there is none, the error says everything that was looked for', () => {
    assert.deepEqual(findBrowser(search([])), {
      ok: false,
      message:
        'no Chromium found: no browser was named (setting tracelens.playwright.executablePath, flag --browser, PLAYWRIGHT_CHROMIUM_EXECUTABLE_PATH), ' +
        `and there is no Playwright's Chromium (${PLAYWRIGHT_CHROMIUM}: not installed) nor chromium, chromium-browser, google-chrome, google-chrome-stable on PATH. ` +
        'Install Chromium or Chrome, or name one of its executables there',
    });
    const unsupported = findBrowser(
      search([], {
        playwrightChromium: () => {
          throw new Error('unsupported platform');
        },
      }),
    );
    assert.equal(unsupported.ok, false);
    assert.match(!unsupported.ok ? unsupported.message : '', /there is no Playwright's Chromium nor chromium/);
  });
});
