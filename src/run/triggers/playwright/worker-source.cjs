// The worker run from its TypeScript source (tests run the sources, not the bundle): tsx compiles the worker's own
// modules while they load, then stops, so the user's scripts are loaded as Node loads them (as in the bundle).
const { register } = require('tsx/cjs/api');

const unregister = register();
require('./worker.ts');
unregister();
