// ESLint (flat config): `npm run lint`, part of `npm run check`. Type-aware rules of typescript-eslint read each
// workspace's tsconfig.json through the project service. Line length and layout are Prettier's (`npm run format`).
import js from '@eslint/js';
import { defineConfig, globalIgnores } from 'eslint/config';
import prettier from 'eslint-config-prettier/flat';
import tseslint from 'typescript-eslint';

export default defineConfig(
  // Build outputs and files that a tool writes (`npm run codegen`) are not linted, nor the templates of
  // `npm run new:subgraph` (they compile only once copied; the subgraph they make is linted like the others), nor the
  // sample consumer (it compiles only with the client generated beside it; test/src/client-codegen.test.ts checks it).
  globalIgnores([
    '**/node_modules/',
    '**/dist/',
    '**/generated/',
    '**/*.tsbuildinfo',
    '**/.data/',
    '**/.turbo/',
    'scripts/templates/',
    'clients/sample/',
  ]),
  {
    linterOptions: { reportUnusedDisableDirectives: 'error' },
  },
  {
    files: ['**/*.ts'],
    extends: [js.configs.recommended, tseslint.configs.recommendedTypeChecked],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      // Promises: one nobody awaits or catches must say so (`void`); none goes where a callback's result is ignored.
      // node:test runs and reports what test()/describe() return, so those calls need no `void`.
      '@typescript-eslint/no-floating-promises': [
        'error',
        { allowForKnownSafeCalls: [{ from: 'package', package: 'node:test', name: ['test', 'it', 'describe', 'suite'] }] },
      ],
      '@typescript-eslint/no-misused-promises': 'error',
      // Promise.all over library calls typed `void | Promise<void>` (graphql-ws's dispose()) is fine.
      '@typescript-eslint/await-thenable': ['error', { allowMixedPromiseArrays: true }],
      // A rejection passes an error of unknown type on unchanged, as only-throw-error allows for `throw`.
      '@typescript-eslint/prefer-promise-reject-errors': ['error', { allowThrowingUnknown: true }],
      // Off: Apollo plugin hooks and context functions, and async-iterator return()/throw(), must return promises,
      // and `async` is how they do (a throw becomes a rejection); the rule would have them drop it.
      '@typescript-eslint/require-await': 'off',
      // The "unsafe any" family and explicit `any`: values from JSON, the network or untyped libraries get a type.
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unsafe-argument': 'error',
      '@typescript-eslint/no-unsafe-assignment': 'error',
      '@typescript-eslint/no-unsafe-call': 'error',
      '@typescript-eslint/no-unsafe-member-access': 'error',
      '@typescript-eslint/no-unsafe-return': 'error',
      // Imports: types as `import type` or inline `type` (files with decorators keep their imports for the metadata),
      // and one import declaration per module (a separate `import type` beside it is allowed).
      '@typescript-eslint/consistent-type-imports': ['error', { prefer: 'type-imports', fixStyle: 'inline-type-imports' }],
      'no-duplicate-imports': ['error', { allowSeparateTypeImports: true }],
      // `_`-prefixed names are the codebase's way to say "unused on purpose".
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
    },
  },
  {
    // Tests assert on the JSON bodies the API answers (`rest()` and `graphql()` of test/src/support/client.ts give `any`
    // data unless a test names a type), so the unsafe-any rules are off there; everything else, `no-explicit-any` and
    // the promise rules included, applies to tests as it does to the product.
    files: ['test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
  {
    files: ['**/*.js'],
    extends: [js.configs.recommended],
  },
  // Last: turns off the rules that disagree with Prettier's layout (no-unexpected-multiline on its member chains).
  prettier,
);
