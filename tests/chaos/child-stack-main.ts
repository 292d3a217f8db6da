/**
 * Child-process entry for the crash scenarios: start the local stack on the data dir given in
 * CHAOS_STACK_DATA_DIR (kept across restarts) and ephemeral ports, then print its coordinates as one
 * JSON line. The postmaster's pid is printed too, so the parent can tell which server it killed.
 */
import { readPostmasterPid } from '../../supabase/local/postgres';
import { serveToParentProcess } from '../../supabase/local/child-process';
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
  serveToParentProcess(stack, { postmasterPid: readPostmasterPid(path.join(dataDir, 'pg')) });
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
