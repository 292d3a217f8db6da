/** Child-process entry: start a throw-away local stack and print its coordinates as one JSON line. */
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
  process.stdout.write(
    JSON.stringify({
      apiUrl: stack.apiUrl,
      dbUrl: stack.dbUrl,
      anonKey: stack.anonKey,
      serviceRoleKey: stack.serviceRoleKey,
      jwtSecret: stack.jwtSecret,
    }) + '\n',
  );
  const stop = async () => {
    await stack.stop();
    process.exit(0);
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  // Parent gone (pipe closed) → stop too, so a crashed benchmark leaves no postgres behind.
  process.stdin.on('end', stop);
  process.stdin.resume();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
