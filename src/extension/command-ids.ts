// Every command the extension contributes, by id: what the code registers, what lenses, the status bar and the
// trace panel invoke, and what package.json lists (test/unit/testing/command-ids.test.ts keeps them in step).
export const COMMANDS = {
  runAll: 'tracelens.runAll',
  runFile: 'tracelens.runFile',
  runTest: 'tracelens.runTest',
  recheck: 'tracelens.recheck',
  recheckSpec: 'tracelens.recheckSpec',
  runUnderLoad: 'tracelens.runUnderLoad',
  showTrace: 'tracelens.showTrace',
  showTraceJson: 'tracelens.showTraceJson',
  openTraceAtSpan: 'tracelens.openTraceAtSpan',
  openPlaywrightTrace: 'tracelens.openPlaywrightTrace',
  startReceiver: 'tracelens.startReceiver',
  stopReceiver: 'tracelens.stopReceiver',
  receiverActions: 'tracelens.receiverActions',
  chooseVariableSet: 'tracelens.chooseVariableSet',
  useTraceFileForCompletion: 'tracelens.useTraceFileForCompletion',
  newTest: 'tracelens.newTest',
  showOutput: 'tracelens.showOutput',
  assertOnSpan: 'tracelens.assertOnSpan',
  filterTraces: 'tracelens.traces.filter',
  clearTracesFilter: 'tracelens.traces.clearFilter',
  openReceivedTrace: 'tracelens.traces.open',
  copyTraceId: 'tracelens.traces.copyId',
  saveTrace: 'tracelens.traces.save',
  createTestFromTrace: 'tracelens.traces.createTest',
  newTestFromCurl: 'tracelens.newTestFromCurl',
  importPostmanCollection: 'tracelens.importPostmanCollection',
  showRunHistory: 'tracelens.showRunHistory',
} as const;

export type CommandId = (typeof COMMANDS)[keyof typeof COMMANDS];
