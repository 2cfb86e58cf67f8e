// The house rules a linter can keep: typescript-eslint's recommended set and a few of our own. Formatting is
// Prettier's (.prettierrc.json: `npm run format`), not the linter's. `npm run lint` runs both checks; CI runs it.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'cdktf.out/**', '**/*.generated.ts', '**/*.js', '**/*.d.ts', 'test/**/fixtures/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      // `_`-prefixed names are the ones left unused on purpose (a destructured field dropped, a port's unused argument).
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_', caughtErrors: 'none' }],
      // AWS SDK clients and other heavy modules are loaded with require() on first use, so a cold start skips them.
      '@typescript-eslint/no-require-imports': 'off',
      // Text is scanned for control characters on purpose: escaping them is how output stays inert.
      'no-control-regex': 'off',
      eqeqeq: ['error', 'always'],
      // `let server!: T` that a callback made before it reads (the stand-ins' handlers) stays a let.
      'prefer-const': ['error', { ignoreReadBeforeAssign: true }],
    },
  },
);
