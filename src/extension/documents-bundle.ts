// What the editor needs once it reads a test file, not at activation: the YAML parser, and the JSON schemas with
// the validator compiled from them (ajv). The build bundles this module on its own (dist/documents.js); in the
// extension bundle, `yaml` and `core/testfile/schema` are stand-ins that require it on the first use of one of their
// exports (scripts/bundles.mjs), which is the first parse of a test file, just after activation returns. From source
// (the unit tests) nothing changes: those modules are imported as they are.
export * as yaml from 'yaml';
export * as schema from '../core/testfile/schema';
