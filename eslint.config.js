// Lint: type-aware rules that catch what reviews miss (floating promises, unsafe any), and the
// import fence that keeps workflow code deterministic (see the house style).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      'node_modules/**',
      '.tools/**',
      '.data/**',
      '.scratch/**',
      'scripts/*.mjs',
      'runtime/*.cjs',
      'bin/**',
      'eslint.config.js',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': [
        'error',
        { considerDefaultExhaustiveForUnions: true },
      ],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['workflows/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^(?!@temporalio/workflow$|\\.\\./domain/|\\./|\\.\\./activities$)',
              message: 'Workflows import only @temporalio/workflow, domain/ and types from activities/.',
            },
            {
              regex: '^\\.\\./activities$',
              allowTypeImports: true,
              message: 'Workflows may import only types from activities/.',
            },
          ],
        },
      ],
      'no-restricted-globals': [
        'error',
        { name: 'setTimeout', message: 'Use sleep() from @temporalio/workflow.' },
      ],
      'no-restricted-properties': [
        'error',
        { object: 'Math', property: 'random', message: 'Workflows must be deterministic.' },
      ],
    },
  },
  {
    files: ['domain/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: [
                'node:*',
                'fs',
                'http',
                'pg',
                '@electric-sql/*',
                '@temporalio/*',
                '../store/**',
                '../channels/**',
                '../activities/**',
                '../api/**',
              ],
              message: 'domain/ holds pure rules: no I/O imports.',
            },
            {
              regex: '(^|/)config(/|$)',
              message:
                'domain/ does not import config/: declare the shape it reads in domain/ (config-shapes.ts); config/ produces it.',
            },
          ],
        },
      ],
    },
  },
  {
    // The console runs as plain ES modules in the browser (no build step, no TypeScript project).
    files: ['console/**/*.js'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: {
      ...tseslint.configs.disableTypeChecked.languageOptions,
      sourceType: 'module',
      // The browser globals the console uses (no extra package for the full list).
      globals: Object.fromEntries(
        [
          'window',
          'document',
          'location',
          'navigator',
          'sessionStorage',
          'localStorage',
          'fetch',
          'Event',
        ].map((name) => [name, 'readonly']),
      ),
    },
  },
  {
    // Plain modules run by node without a TypeScript loader: the store's initdb process
    // (pglite-initdb.mjs), and a worker thread's way into the sources (thread-boot.mjs).
    files: ['store/*.mjs', 'channels/outbox/*.mjs'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: {
      ...tseslint.configs.disableTypeChecked.languageOptions,
      sourceType: 'module',
      globals: { process: 'readonly' },
    },
  },
);
