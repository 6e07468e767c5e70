// `npm run lint`: ESLint's and typescript-eslint's recommended rules over every TypeScript and JavaScript file, and
// Prettier's check of the layout (.prettierrc.json).
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/', 'integrations/artillery/dist/', '.cache/', 'node_modules/', 'test/fixtures/', 'bench/out/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    rules: {
      // Names starting with _ are left out on purpose: `const { error: _previous, ...rest } = result`.
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_', caughtErrors: 'none' },
      ],
      // Terminal output is matched and cleaned of its escape sequences (\x1b[…m): control characters are the point.
      'no-control-regex': 'off',
    },
  },
  {
    // CommonJS: the Playwright worker's script loader and the extension-host suites' entry, which VS Code requires;
    // and the demo's modules loaded only when chosen (one OTLP exporter of three, sql.js's WebAssembly build).
    files: ['**/*.cjs', 'test/exthost/suite/index.ts', 'demo/telemetry.ts', 'demo/infra/database-server.ts'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // The fake vscode API's object literals have methods of their own `this`; they reach the fake as `fake`.
    files: ['test/support/vscode-fake/**'],
    rules: { '@typescript-eslint/no-this-alias': ['error', { allowedNames: ['fake'] }] },
  },
  {
    // k6 scripts run in k6's JavaScript runtime, which provides these.
    files: ['integrations/k6/**'],
    languageOptions: { globals: { __ENV: 'readonly', __VU: 'readonly', __ITER: 'readonly' } },
  },
);
