// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'data/**', 'artifacts/**', 'appPackage/build/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: {
        process: 'readonly',
        console: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        setImmediate: 'readonly',
        URL: 'readonly',
        fetch: 'readonly',
        Buffer: 'readonly',
      },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
      'no-restricted-properties': [
        'error',
        { object: 'process', property: 'env', message: 'Read configuration only in src/config.ts (loadConfig) or src/main.ts.' },
      ],
    },
  },
  {
    // CommonJS helpers that both ESM scripts and the TypeScript tests load (scripts/azurite.cjs).
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: { require: 'readonly', module: 'writable', __dirname: 'readonly' } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  { files: ['src/main.ts', 'src/config.ts', 'tests/**', 'scripts/**'], rules: { 'no-restricted-properties': 'off' } },
  {
    // The Bot Framework SDK, teams-ai and restify stay in src/teams/host (tests/unit/architecture checks it too):
    // a move to another Teams SDK replaces that folder only.
    files: ['src/**'],
    ignores: ['src/teams/host/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['botbuilder*', 'botframework-*', '@microsoft/teams-ai', 'restify'],
              message: 'Only src/teams/host/ talks to the Bot Framework SDK; use src/teams/chat.ts and turn.ts.',
            },
          ],
        },
      ],
    },
  },
  {
    // Routes reach the tenant and the store through use cases only.
    files: ['src/teams/routes/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['botbuilder*', 'botframework-*', '@microsoft/teams-ai', 'restify'], message: 'Only src/teams/host/ talks to the Bot Framework SDK.' },
            {
              group: ['**/adapters/**', '**/ports/elevation-store.js', '**/teams/host/**', '**/jobs/**'],
              message: 'Routes call use cases; they do not reach adapters, the store port, jobs or the host.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['src/domain/**'],
    rules: {
      'no-restricted-imports': ['error', { patterns: ['botbuilder*', '@microsoft/*', 'restify', 'better-sqlite3', 'node:*', '../adapters/*', '../teams/*'] }],
    },
  },
);
