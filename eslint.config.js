import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const services = ['ingest', 'processing', 'notifications', 'tenants'];

export default tseslint.config(
  {
    ignores: [
      '**/node_modules/**',
      '**/.serverless/**',
      '**/.esbuild/**',
      'coverage/**',
      '**/*.generated.js',
      // The local cloud's working directory: logs, keys, the rendered API reference (Redoc's bundle).
      '.local-cloud/**',
      // The console's build output.
      'services/console/dist/**',
    ],
  },
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
    files: ['scripts/**', 'packages/local-cloud/**', 'test/**'],
    rules: { 'no-console': 'off' },
  },
  {
    // Packages are used through their package names and exports, never by a path into their sources.
    files: ['scripts/**', 'test/**'],
    rules: { 'no-restricted-imports': ['error', { patterns: ['**/packages/**', '**/local-cloud/src/**'] }] },
  },
  {
    // The event-pattern engine is bundled into functions: nothing of Herald's, no AWS SDK, no Node APIs.
    files: ['packages/event-pattern/**'],
    rules: { 'no-restricted-imports': ['error', { patterns: ['@herald/*', '@aws-sdk/*', 'node:*'] }] },
  },
  {
    // The client runs in browsers too: no Node APIs in its code (its tests may use them).
    files: ['packages/client/src/**'],
    rules: { 'no-restricted-imports': ['error', { patterns: ['@herald/*', '@aws-sdk/*', 'node:*'] }] },
  },
  {
    // The console runs in browsers and talks to the APIs only through @herald/client; its Vite
    // config runs in Node.
    files: ['services/console/src/**'],
    languageOptions: { globals: globals.browser },
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: ['node:*', '@aws-sdk/*', '@herald/shared', '**/packages/**'] },
      ],
    },
  },
  ...services.flatMap((service) => {
    // A service never imports another service's code: they share only @herald/shared.
    const others = services
      .filter((other) => other !== service)
      .flatMap((other) => [`**/services/${other}/**`, `@herald/${other}`]);
    return [
      {
        files: [`services/${service}/**`],
        rules: { 'no-restricted-imports': ['error', { patterns: others }] },
      },
      {
        // The logic (every module of src/ but handlers/, adapters/ and wiring.ts, in whatever folder)
        // is plain functions over plain data: only handlers, adapters and the wiring know AWS.
        files: [`services/${service}/src/**/*.ts`],
        ignores: [
          `services/${service}/src/handlers/**`,
          `services/${service}/src/adapters/**`,
          `services/${service}/src/wiring.ts`,
        ],
        rules: {
          'no-restricted-imports': [
            'error',
            {
              patterns: [
                ...others,
                '@aws-sdk/*',
                '@middy/*',
                '**/adapters/**',
                '**/handlers/**',
                '**/wiring',
              ],
            },
          ],
        },
      },
    ];
  }),
  prettier,
);
