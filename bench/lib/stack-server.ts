/** Child-process entry: start a throw-away local stack and print its coordinates as one JSON line. */
import { serveToParentProcess } from '../../supabase/local/child-process';
import { startLocalStack } from '../../supabase/local/stack';

async function main() {
  const extra = JSON.parse(process.env.BENCH_EXTRA_SQL ?? '[]') as string[];
  // The load generator is one process with one sender: lift the per-socket message rate limit that
  // protects a real deployment from a single abusive client, so the servers' capacity is what's measured.
  const stack = await startLocalStack({
    apiPort: 0,
    dbPort: 0,
    extraSqlFiles: extra,
    realtime: {
      maxMessagesPerSecondPerSocket: 1_000_000,
      maxMessagesPerSecond: 10_000_000,
      maxJoinsPerSecond: 100_000,
    },
  });
  serveToParentProcess(stack);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
