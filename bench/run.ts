/**
 * `npm run bench [-- --only a,b] [-- --quick]`: runs the scenarios against a throw-away local stack
 * (child process), writes bench/results/<timestamp>.json and prints a markdown table.
 */
import fs from 'node:fs';
import path from 'node:path';
import { startStackProcess } from './lib/stack-process';
import type { Scenario, ScenarioResult } from './lib/types';
import { scenarios } from './scenarios';

const RESULTS_DIR = path.join(__dirname, 'results');

function parseArgs(argv: string[]) {
  const only = argv
    .find((a) => a.startsWith('--only='))
    ?.slice('--only='.length)
    .split(',');
  return { only, quick: argv.includes('--quick') };
}

function toMarkdown(
  results: Array<{ scenario: Scenario; result?: ScenarioResult; error?: string; ms: number }>,
): string {
  const out: string[] = [];
  for (const { scenario, result, error, ms } of results) {
    out.push(`### ${scenario.title} (\`${scenario.id}\`, ${(ms / 1000).toFixed(1)} s)`);
    if (error) {
      out.push('', `**failed:** ${error}`, '');
      continue;
    }
    const keys = [...new Set(result!.rows.flatMap((r) => Object.keys(r.metrics)))];
    out.push(
      '',
      `| system | variant | ${keys.join(' | ')} |`,
      `|---|---|${keys.map(() => '---:').join('|')}|`,
    );
    for (const row of result!.rows) {
      out.push(
        `| ${row.system} | ${row.variant ?? ''} | ${keys.map((k) => String(row.metrics[k] ?? '')).join(' | ')} |`,
      );
    }
    for (const t of result!.targets ?? []) out.push(`- target: ${t}`);
    for (const n of result!.notes ?? []) out.push(`- note: ${n}`);
    out.push('');
  }
  return out.join('\n');
}

async function main() {
  const { only, quick } = parseArgs(process.argv.slice(2));
  const selected = scenarios.filter((s) => !only || only.includes(s.id));
  if (selected.length === 0)
    throw new Error(
      `no scenario matches --only=${only?.join(',')}; known: ${scenarios.map((s) => s.id).join(', ')}`,
    );
  const started = new Date();
  const results: Array<{ scenario: Scenario; result?: ScenarioResult; error?: string; ms: number }> = [];
  for (const scenario of selected) {
    process.stderr.write(`▶ ${scenario.id}: ${scenario.title}\n`);
    // A fresh stack per scenario: no state, cache or leaked connection carries over between scenarios.
    const stack =
      scenario.id === 'cold-start' ? null : await startStackProcess([path.join(__dirname, 'fixtures.sql')]);
    const t0 = Date.now();
    let timer: NodeJS.Timeout | undefined;
    try {
      const result = await Promise.race([
        scenario.run({
          stack: stack!,
          deadline: t0 + scenario.budgetMs,
          quick,
          log: (l) => process.stderr.write(`  ${l}\n`),
        }),
        new Promise<never>((_, reject) => {
          timer = setTimeout(
            () => reject(new Error(`exceeded its ${scenario.budgetMs / 1000} s budget`)),
            scenario.budgetMs,
          );
        }),
      ]);
      results.push({ scenario, result, ms: Date.now() - t0 });
    } catch (err) {
      results.push({
        scenario,
        error: err instanceof Error ? err.message : String(err),
        ms: Date.now() - t0,
      });
    } finally {
      clearTimeout(timer);
      await stack?.stop();
    }
  }
  const machine = {
    node: process.version,
    cpus: (await import('node:os')).cpus().length,
    platform: process.platform,
  };
  const file = path.join(RESULTS_DIR, `${started.toISOString().replace(/[:.]/g, '-')}.json`);
  fs.mkdirSync(RESULTS_DIR, { recursive: true });
  fs.writeFileSync(
    file,
    JSON.stringify(
      {
        startedAt: started.toISOString(),
        quick,
        machine,
        scenarios: results.map((r) => ({
          id: r.scenario.id,
          title: r.scenario.title,
          seconds: r.ms / 1000,
          error: r.error ?? null,
          ...r.result,
        })),
      },
      null,
      2,
    ),
  );
  console.log(toMarkdown(results));
  console.log(`\nResults written to ${path.relative(process.cwd(), file)}`);
  // Open sockets/timers of clients must not keep the process alive.
  process.exit(results.some((r) => r.error) ? 1 : 0);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
