import type { ResourceKind } from './model';

/** Every accepted top-level `type`, with the kind it loads as (older names load as their new kind). */
export const RESOURCE_TYPES: Readonly<Record<string, ResourceKind>> = {
  Test: 'Test',
  TestSuite: 'TestSuite',
  Transaction: 'TestSuite',
  VariableSet: 'VariableSet',
  Environment: 'VariableSet',
  PollingProfile: 'PollingProfile',
  DataStore: 'DataStore',
  Config: 'Config',
  Analyzer: 'Analyzer',
  TestRunner: 'TestRunner',
  Demo: 'Demo',
};

export function kindOfType(type: string): ResourceKind | undefined {
  return Object.prototype.hasOwnProperty.call(RESOURCE_TYPES, type) ? RESOURCE_TYPES[type] : undefined;
}
