/**
 * Keeps `realtime.messages` partitioned as hosted's janitor does: daily partitions exist from
 * yesterday to a few days ahead (an insert without a partition fails with MissingPartition), and
 * partitions older than the retention are dropped.
 */
import type { Pool } from '../db';

export const PARTITION_DAYS_AHEAD = 3;

export class MessagesJanitor {
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly pool: Pool,
    private readonly intervalMs: number,
    private readonly retentionDays: number,
    private readonly log: (line: string) => void,
  ) {}

  async runOnce(): Promise<{ dropped: number }> {
    await this.pool.query('select realtime.ensure_message_partitions($1)', [PARTITION_DAYS_AHEAD]);
    const res = await this.pool.query<{ dropped: number }>(
      'select realtime.drop_old_message_partitions($1) as dropped',
      [this.retentionDays],
    );
    return { dropped: Number(res.rows[0]?.dropped ?? 0) };
  }

  async start(): Promise<void> {
    await this.runOnce();
    this.timer = setInterval(() => {
      this.runOnce().catch((err: unknown) =>
        this.log(`[realtime] PartitionCreationFailed: ${(err as Error).message}\n`),
      );
    }, this.intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }
}
