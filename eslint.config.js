// Lint: typescript-eslint's recommended rules plus yibao's domain pitfalls.
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'data/**', 'web/dist/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // Money is integer fen: parseFloat on anything is a smell (amounts go through platform/money).
      'no-restricted-globals': ['error', { name: 'parseFloat', message: '金额请使用 platform/money 的 yuanToFen，不要用浮点数。' }],
      'no-restricted-properties': [
        'error',
        { object: 'Number', property: 'parseFloat', message: '金额请使用 platform/money 的 yuanToFen，不要用浮点数。' },
      ],
    },
  },
);
