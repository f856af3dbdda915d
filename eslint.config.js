// Type-aware checks of the TypeScript sources. Formatting is prettier's (eslint-config-prettier
// turns off the rules it owns).
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'dist-bench/**', 'node_modules/**', 'coverage/**', 'data/**', 'apps/admin/public/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        projectService: { allowDefaultProject: ['apps/admin/vite.config.ts'] },
        tsconfigRootDir: import.meta.dirname,
      },
      globals: { ...globals.node },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      // The ports are async for EventStoreDB and MongoDB; the SQLite adapters and test doubles
      // implement them synchronously, so an async method without await is the port's shape, not a slip.
      '@typescript-eslint/require-await': 'off',
      // It takes a value used only by parameter decorators (@Param('id', ID_PIPE)) for an unused one.
      'no-useless-assignment': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
    },
  },
  {
    files: ['apps/admin/**/*.{ts,tsx}', 'test/browser/**/*.ts'],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    // Tests read JSON answers as `any` on purpose: the assertions are what check their shape.
    files: ['test/**/*.ts', '**/*.spec.ts', '**/*.fixture.ts', '**/*.contract.ts'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    extends: [tseslint.configs.disableTypeChecked],
  },
  prettier,
);
