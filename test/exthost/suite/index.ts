// Entry of the extension-host test bundle: `run()` is what VS Code calls for `extensionTestsPath`. It runs the
// mocha suites inside the real extension host and writes one result per test to the JSON file named by
// TRACELENS_EXTHOST_RESULTS, so the process that started the editor can report them.
import { writeFileSync } from 'node:fs';
import Mocha from 'mocha';
import { RESULTS_ENV, type ExtensionHostResult } from '../results';

export function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'tdd', timeout: 30_000, reporter: 'spec', color: false });
  // The suites are bundled into this file: install mocha's tdd globals, then load them.
  mocha.suite.emit('pre-require', globalThis, 'exthost', mocha);
  require('./activation.test');
  require('./language.test');
  require('./commands.test');
  require('./secrets.test');

  const results: ExtensionHostResult[] = [];
  return new Promise((resolve, reject) => {
    const runner = mocha.run((failures) => {
      const file = process.env[RESULTS_ENV];
      if (file) writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
      if (failures > 0) reject(new Error(`${failures} extension-host test(s) failed`));
      else resolve();
    });
    runner.on('pass', (test) => results.push({ title: test.titlePath(), state: 'passed', durationMs: test.duration ?? 0 }));
    runner.on('fail', (test, error: Error) =>
      results.push({ title: test.titlePath(), state: 'failed', durationMs: test.duration ?? 0, error: error.stack ?? error.message }),
    );
    runner.on('pending', (test) => results.push({ title: test.titlePath(), state: 'skipped', durationMs: 0 }));
  });
}
