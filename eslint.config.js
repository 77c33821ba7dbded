// npm run lint (part of npm test). The layers of SPEC §8 point one way:
//   cli.ts → commands → session → (audio, net, logging) → shared
//   ui → ui/bridge → session
// import/no-restricted-paths checks each import's resolved file against them,
// so a wrong import fails here whatever its relative spelling.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import importPlugin from 'eslint-plugin-import';

const core = ['./src/audio', './src/net', './src/logging'];
const above = ['./src/session', './src/commands', './src/ui', './src/cli.ts'];

/** Zones: files in `target` may not import from `from`. */
export const layerZones = [
  // shared/ is the bottom: value types and helpers every layer may use.
  { target: './src/shared', from: [...core, ...above], message: 'shared/ imports nothing of the app' },
  // The core knows nothing of the session, the commands, the CLI or the UI.
  ...core.map((target) => ({ target, from: above, message: 'the core (audio, net, logging) never imports session, commands, ui or the CLI' })),
  // audio and net share value types through shared/, not through each other.
  { target: './src/audio', from: ['./src/net'], message: 'audio and net meet in shared/ (or in the session), not in each other' },
  { target: './src/net', from: ['./src/audio'], message: 'audio and net meet in shared/ (or in the session), not in each other' },
  { target: './src/session', from: ['./src/commands', './src/ui', './src/cli.ts'], message: 'the session runs the same headless and under the dashboard: it imports neither' },
  { target: './src/commands', from: ['./src/cli.ts'] },
  // ui/ reaches the session only through its bridge (the worker thread's two ends and the types they share).
  {
    target: ['./src/ui/*.{ts,tsx}', './src/ui/!(bridge)/**/*'],
    from: ['./src/session', './src/audio', './src/net', './src/commands', './src/cli.ts'],
    message: 'ui/ talks to the session only through ui/bridge/',
  },
  { target: './src/ui/bridge', from: ['./src/commands', './src/cli.ts'] },
];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '__tests__/fixtures/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts', '**/*.tsx'],
    plugins: { import: importPlugin },
    settings: {
      'import/resolver': { typescript: { project: './tsconfig.test.json' }, node: true },
      'import/parsers': { '@typescript-eslint/parser': ['.ts', '.tsx'] },
    },
    rules: {
      'import/no-restricted-paths': ['error', { zones: layerZones }],
      // Terminal text is full of control characters, and tests match aligned columns.
      'no-control-regex': 'off',
      'no-regex-spaces': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
    },
  },
  {
    // Only the CLI speaks to the terminal, and it writes to process.stdout/stderr itself.
    files: ['src/**/*.ts', 'src/**/*.tsx'],
    rules: { 'no-console': 'error' },
  },
  {
    files: ['**/*.mjs', '**/*.js'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly' } },
  },
);
