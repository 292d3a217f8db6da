/**
 * Child-process entry for the crash scenarios: start the local stack on the data dir given in
 * CHAOS_STACK_DATA_DIR (kept across restarts) and ephemeral ports, then print its coordinates as one
 * JSON line. The postmaster's pid is printed too, so the parent can tell which server it killed.
 */
import { readPostmasterPid } from '../../supabase/local/postgres';
import { startLocalStack } from '../../supabase/local/stack';
import path from 'node:path';

async function main() {
  const dataDir = process.env.CHAOS_STACK_DATA_DIR;
  if (!dataDir) throw new Error('CHAOS_STACK_DATA_DIR is required');
  const stack = await startLocalStack({
    apiPort: 0,
    dbPort: 0,
    dataDir,
    log: process.env.SUPABASE_DEBUG ? (line) => process.stderr.write(line) : undefined,
  });
  process.stdout.write(
    JSON.stringify({
      apiUrl: stack.apiUrl,
      dbUrl: stack.dbUrl,
      anonKey: stack.anonKey,
      serviceRoleKey: stack.serviceRoleKey,
      jwtSecret: stack.jwtSecret,
      postmasterPid: readPostmasterPid(path.join(dataDir, 'pg')),
    }) + '\n',
  );
  const stop = async () => {
    await stack.stop();
    process.exit(0);
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  // Parent gone (pipe closed) → stop too, so a crashed test run leaves no postgres behind.
  process.stdin.on('end', stop);
  process.stdin.resume();
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
