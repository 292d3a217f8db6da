/**
 * REST read by primary key through supabase-js: `from('bench_items').select('*').eq('id', k).single()`
 * with C concurrent callers for a fixed duration.
 */
import { benchClient } from '../lib/clients';
import { summarize } from '../lib/stats';
import type { Scenario } from '../lib/types';

export const restRead: Scenario = {
  id: 'rest-read',
  title: 'REST read by primary key (supabase-js)',
  budgetMs: 45_000,
  async run({ stack, quick }) {
    const client = benchClient(stack, stack.serviceRoleKey);
    const durationMs = quick ? 3_000 : 10_000;
    const rows: { system: string; variant: string; metrics: Record<string, number> }[] = [];
    for (const concurrency of [1, 16]) {
      // Warm-up: connection pool, schema cache, plan cache.
      for (let i = 0; i < 200; i++)
        await client
          .from('bench_items')
          .select('*')
          .eq('id', 1 + (i % 1000))
          .single();
      const latencies: number[] = [];
      let errors = 0;
      const end = Date.now() + durationMs;
      await Promise.all(
        Array.from({ length: concurrency }, async (_, w) => {
          let k = w;
          while (Date.now() < end) {
            k = (k * 7919 + 13) % 1000;
            const t0 = performance.now();
            const { error } = await client
              .from('bench_items')
              .select('*')
              .eq('id', k + 1)
              .single();
            latencies.push(performance.now() - t0);
            if (error) errors++;
          }
        }),
      );
      const s = summarize(latencies);
      rows.push({
        system: 'ours (local stack REST)',
        variant: `concurrency ${concurrency}`,
        metrics: {
          'req/s': Math.round(s.count / (durationMs / 1000)),
          'p50 ms': s.p50,
          'p99 ms': s.p99,
          errors,
        },
      });
    }
    return { rows };
  },
};
