import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'out/', '.vscode-test/', 'test-results/', 'dist-vsix/', 'bench/out/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      eqeqeq: ['error', 'smart'],
      'no-restricted-imports': 'off',
    },
  },
  {
    // The pure core runs in the CLI and in plain Node tests: it must never reach for the editor.
    files: ['src/core/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: [{ name: 'vscode', message: 'src/core must not import vscode' }] }] },
  },
  {
    // The adapters reach the core only through an area's front door (src/core/<area>/index.ts), so
    // any file behind it can change without touching them. Files at the core's top (model.ts) are
    // their own door. scripts/import-cycles.mjs keeps the areas themselves free of cycles.
    files: ['src/cli/**/*.ts', 'src/extension/**/*.ts', 'src/protocol/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['**/core/*/*', '!**/core/*/index'], message: "import the core through the area's index.ts: '../core/<area>'" }] }],
    },
  },
  {
    files: ['webview-ui/**/*.ts'],
    languageOptions: { globals: { ...globals.browser } },
    // A webview sees the host only through src/protocol (the messages and the channel), never the core.
    rules: { 'no-restricted-imports': ['error', { patterns: [{ group: ['**/src/core', '**/src/core/**', '**/src/extension', '**/src/extension/**', 'vscode'], message: 'webview-ui talks to the host through src/protocol only' }] }] },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
