// Chromium for the real-editor tests: the Debian browser driven by playwright-core (Playwright's own browser
// builds are never downloaded).
import { chromium, type Browser } from 'playwright-core';
import { CHROMIUM } from '../support/code-server';

const ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

/** `extraArgs`: e.g. the benchmark's uncapped frame rate. */
export function launchChromium(extraArgs: readonly string[] = []): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: [...ARGS, ...extraArgs] });
}
