import nextVitals from 'eslint-config-next/core-web-vitals';
import nextTs from 'eslint-config-next/typescript';

const config = [
  ...nextVitals,
  ...nextTs,
  {
    ignores: [
      'node_modules/**',
      '.next/**',
      'supabase/.data/**',
      'bench/results/**',
      'test-results/**',
      'playwright-report/**',
      'next-env.d.ts',
    ],
  },
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  // Issue 10: lib/data/ is the one home of the database contract. A table or RPC named in app code
  // outside it (`.from('appointments')`, `.rpc('hold_slot')`, `.rpc(RPC.holdSlot)`) fails lint.
  {
    files: ['app/**/*.{ts,tsx}', 'components/**/*.{ts,tsx}', 'hooks/**/*.{ts,tsx}', 'lib/**/*.{ts,tsx}'],
    ignores: ['lib/data/**', '**/*.test.{ts,tsx}', '**/*.spec.{ts,tsx}'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector:
            "CallExpression[callee.type='MemberExpression']:not([callee.object.name=/^(Array|Buffer|Uint8Array)$/])[callee.property.name=/^(from|rpc)$/][arguments.0.type=/^(Literal|TemplateLiteral)$/]",
          message:
            'Database calls live in lib/data/<area>.ts (typed client, zod-parsed result); call a function there.',
        },
        {
          selector:
            "CallExpression[callee.type='MemberExpression'][callee.property.name='rpc'][arguments.0.type='MemberExpression'][arguments.0.object.name='RPC']",
          message:
            'Database calls live in lib/data/<area>.ts (typed client, zod-parsed result); call a function there.',
        },
      ],
    },
  },
];
export default config;
