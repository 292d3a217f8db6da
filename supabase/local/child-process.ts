/**
 * For a stack started in a child process (benchmarks, crash tests): print its coordinates as one
 * JSON line on stdout for the parent to read, and stop it on SIGTERM/SIGINT or when the parent goes
 * away (stdin closes), so a crashed parent leaves no postgres behind.
 */
import type { LocalStack } from './stack';

export function serveToParentProcess(stack: LocalStack, extra: Record<string, unknown> = {}): void {
  process.stdout.write(
    JSON.stringify({
      apiUrl: stack.apiUrl,
      dbUrl: stack.dbUrl,
      anonKey: stack.anonKey,
      serviceRoleKey: stack.serviceRoleKey,
      jwtSecret: stack.jwtSecret,
      ...extra,
    }) + '\n',
  );
  const stop = async () => {
    await stack.stop();
    process.exit(0);
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  process.stdin.on('end', stop);
  process.stdin.resume();
}
