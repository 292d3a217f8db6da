import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const alias = { '@': path.dirname(fileURLToPath(import.meta.url)) };

export default defineConfig({
  plugins: [react()],
  resolve: { alias },
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: [
            'tests/unit/**/*.test.{ts,tsx}',
            'lib/**/*.test.{ts,tsx}',
            'hooks/**/*.test.{ts,tsx}',
            'supabase/local/**/*.test.ts',
          ],
          environment: 'node',
        },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['tests/integration/**/*.test.ts'],
          environment: 'node',
          globalSetup: ['tests/integration/global-setup.ts'],
          testTimeout: 30_000,
          hookTimeout: 60_000,
          // One stack for the whole run; files run in parallel against it and use unique data.
          fileParallelism: true,
        },
      },
      {
        extends: true,
        test: {
          // Chaos and fuzz: races, random concurrent operations, crashes and restarts, hostile input.
          // Bounded for `npm test` (about two minutes); `npm run chaos` scales every scenario up.
          name: 'chaos',
          include: ['tests/chaos/**/*.test.ts'],
          environment: 'node',
          globalSetup: ['tests/integration/global-setup.ts'],
          testTimeout: 180_000,
          hookTimeout: 120_000,
          // One file at a time: each scenario owns the machine's load while it runs.
          fileParallelism: false,
        },
      },
    ],
  },
});
