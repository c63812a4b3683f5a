import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['**/node_modules/**', '**/.serverless/**', '**/.esbuild/**', 'coverage/**', '**/*.generated.js'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: globals.node },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': 'error',
    },
  },
  {
    // Command-line scripts and the local cloud talk to a person on a terminal.
    files: ['scripts/**', 'test/**'],
    rules: { 'no-console': 'off' },
  },
  {
    // Handlers and logic never reach into another service: they share only @herald/shared.
    files: ['services/ingest/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: ['**/services/processing/**', '**/services/notifications/**', '@herald/processing', '@herald/notifications'] },
      ],
    },
  },
  {
    files: ['services/processing/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: ['**/services/ingest/**', '**/services/notifications/**', '@herald/ingest', '@herald/notifications'] },
      ],
    },
  },
  {
    files: ['services/notifications/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: ['**/services/ingest/**', '**/services/processing/**', '@herald/ingest', '@herald/processing'] },
      ],
    },
  },
  prettier,
);
