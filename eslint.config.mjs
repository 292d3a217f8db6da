import nextVitals from 'eslint-config-next/core-web-vitals';
import nextTs from 'eslint-config-next/typescript';

// ---- Import boundaries (issue 10): layering that holds by tooling, not discipline. ----
// Path zones go through eslint-plugin-import (registered by eslint-config-next), whose resolver follows
// relative paths and the `@/` alias alike, so `../x` and `@/x` cannot slip past each other.
const APP_CODE = ['./app', './components', './hooks', './lib'];
const PURE_MODULES = ['lib/scheduling/**', 'lib/realtime/**', 'lib/chatbot/**'];
const boundaries = [
  {
    files: ['**/*.{ts,tsx,mts,cts,js,jsx,mjs}'],
    rules: {
      'import/no-restricted-paths': [
        'error',
        {
          zones: [
            {
              // The app must run unchanged against hosted Supabase, so it never reaches into the local stack.
              target: APP_CODE,
              from: './supabase/local',
              message:
                'The app talks to Supabase over its APIs only; the local stack is a stand-in, not a library.',
            },
            {
              // The local stack imitates Supabase; it must not know the app it serves.
              target: './supabase/local',
              from: APP_CODE,
              message: 'supabase/local is app-agnostic: it must not import the app.',
            },
            {
              // Routes, layouts and server actions belong to app/; shared code lives in lib/ or components/.
              target: ['./!(app)/**', './*.{ts,tsx,mts,cts,js,jsx,mjs}'],
              from: './app',
              message: 'Only files in app/ import from app/; move shared code to lib/ or components/.',
            },
            {
              target: PURE_MODULES.map((glob) => `./${glob}`),
              from: ['./lib/supabase', './lib/data', './hooks', './components', './app'],
              message:
                'lib/scheduling, lib/realtime and lib/chatbot are pure: no database, framework or UI code.',
            },
          ],
        },
      ],
    },
  },
  {
    files: PURE_MODULES,
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: [
                '@supabase/*',
                'next',
                'next/*',
                'react',
                'react/*',
                'react-dom',
                'react-dom/*',
                'pg',
                'pg/*',
              ],
              message:
                'lib/scheduling, lib/realtime and lib/chatbot are pure: no database, framework or UI code.',
            },
            {
              group: ['node:fs', 'node:fs/*', 'fs', 'fs/*', 'node:net', 'net'],
              message: 'lib/scheduling, lib/realtime and lib/chatbot are pure: no file or network I/O.',
            },
          ],
        },
      ],
    },
  },
];
// ---- end of import boundaries ----

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
  ...boundaries,
];
export default config;
