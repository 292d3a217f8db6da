/**
 * Re-authorization on membership change — a local-only improvement over hosted Realtime, which
 * re-runs private-channel policies only when the client sends a new access token (at the latest on
 * token refresh, up to an hour). Here the database can ask for it at once:
 *
 *     select pg_notify('realtime_reauthorize_user', '<user id>');
 *
 * The server then re-runs the RLS read policies of every joined private channel of that user (the
 * JWT `sub`) and shuts down those no longer allowed, with the same `system` message and `phx_close`
 * hosted sends after a failed re-authorization. The stack knows nothing about the app's tables: an
 * app notifies from its own trigger (on hosted nobody listens, so the NOTIFY is harmless).
 *
 * One dedicated connection LISTENs; if it drops it is re-established with back-off. Notifications
 * sent while it is down are lost, which is no worse than hosted (the next token refresh re-checks).
 */
import pg from 'pg';
import { STACK_APPLICATION_PREFIX } from '../db';
import { ReconnectBackoff } from './reconnect-backoff';

/** The documented NOTIFY channel; the payload is the user id (JWT `sub`) to re-authorize. */
export const REAUTHORIZE_CHANNEL = 'realtime_reauthorize_user';
/** A user id is a uuid on Supabase; anything longer than this is not one and is ignored. */
const MAX_USER_ID_LENGTH = 128;
/** Slower than the replication streams: a missed notification costs little (hosted's token-refresh re-check remains). */
const RECONNECT_DELAYS_MS = [100, 500, 1_000, 2_000, 5_000];

export interface ReauthorizeListenerOptions {
  dbUrl: string;
  log: (line: string) => void;
  reauthorize: (userId: string) => void;
}

/** The user id carried by a notification payload, or null when it cannot be one. */
export function parseReauthorizePayload(payload: string | undefined): string | null {
  const userId = payload?.trim() ?? '';
  return userId.length > 0 && userId.length <= MAX_USER_ID_LENGTH ? userId : null;
}

export class ReauthorizeListener {
  private client: pg.Client | null = null;
  private stopped = true;
  private readonly reconnect = new ReconnectBackoff(RECONNECT_DELAYS_MS);

  constructor(private readonly opts: ReauthorizeListenerOptions) {}

  async start(): Promise<void> {
    this.stopped = false;
    await this.connect();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.reconnect.cancel();
    const client = this.client;
    this.client = null;
    await client?.end().catch(() => {});
  }

  private async connect(): Promise<void> {
    const client = new pg.Client({
      connectionString: this.opts.dbUrl,
      // The stack's prefix: a smart shutdown ends this idle session with the others (stack.ts).
      application_name: `${STACK_APPLICATION_PREFIX}-realtime-reauthorize`,
    });
    this.client = client;
    const onLost = (err?: Error) => {
      if (this.stopped || this.client !== client) return;
      if (err) this.opts.log(`[realtime] reauthorize listener: ${err.message}\n`);
      this.client = null;
      void client.end().catch(() => {});
      this.scheduleReconnect();
    };
    client.on('error', onLost);
    client.on('end', () => onLost());
    client.on('notification', (msg) => {
      if (msg.channel !== REAUTHORIZE_CHANNEL) return;
      const userId = parseReauthorizePayload(msg.payload);
      if (!userId) return;
      try {
        this.opts.reauthorize(userId);
      } catch (err) {
        this.opts.log(`[realtime] reauthorizing ${userId}: ${(err as Error).message}\n`);
      }
    });
    try {
      await client.connect();
      await client.query(`listen ${REAUTHORIZE_CHANNEL}`);
      this.reconnect.reset();
    } catch (err) {
      onLost(err as Error);
    }
  }

  private scheduleReconnect(): void {
    if (this.stopped) return;
    this.reconnect.schedule(() => {
      if (!this.stopped) void this.connect();
    });
  }
}
