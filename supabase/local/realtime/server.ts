/**
 * The Realtime socket server: websocket upgrade and connect-time auth, Phoenix channel semantics
 * (join/leave/close/error, heartbeats, unmatched topics), broadcast, presence, private-channel
 * authorization, token refresh and expiry, limits, and the hand-off to the Postgres Changes engine.
 * Wire details follow hosted Supabase Realtime so that realtime-js cannot tell the difference.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { WebSocketServer, type WebSocket } from 'ws';
import { isDatabaseUnavailable } from '../db';
import type { ServiceContext } from '../service';
import { checkRead, checkWrite, PolicyError, type AuthExtension } from './authorization';
import { Channel, CHANNEL_STATE } from './channel';
import { Connection } from './connection';
import {
  CHANNEL_SHUTDOWN,
  ChannelError,
  databaseUnavailableError,
  toChannelTokenResult,
  toConnectFailure,
  type ConnectFailure,
} from './errors';
import { RateWindow } from './limits';
import { RealtimeMetrics } from './metrics';
import type { RealtimeOptions } from './options';
import {
  ZAccessTokenPayload,
  ZBroadcastPayload,
  ZJoinPayload,
  ZPresenceMeta,
  ZPresencePayload,
  type TPgChangeBindingInput,
} from './payloads';
import type { PgChangeBinding, PostgresChangesEngine } from './postgres-changes';
import { TopicRegistry, type Topic } from './registry';
import {
  BroadcastFrame,
  decodeBinary,
  decodeText,
  isUserBroadcast,
  SUPPORTED_VSNS,
  VSN_1,
  type InboundMessage,
  type InboundUserBroadcast,
  type Vsn,
} from './serializer';

const TOPIC_PREFIX = 'realtime:';
const PHOENIX_TOPIC = 'phoenix';
/** Close code for the slow-consumer policy: RFC 6455 "Try Again Later". */
export const CLOSE_SLOW_CONSUMER = 1013;
const SLOW_CONSUMER_TERMINATE_AFTER_MS = 5_000;
const PG_EVENTS = new Set(['*', 'INSERT', 'UPDATE', 'DELETE']);
/** Hosted replays at most 25 stored messages per join. */
export const MAX_REPLAY_MESSAGES = 25;

const HTTP_REASON: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
};

/** A database-originated broadcast (a committed INSERT on realtime.messages). */
export interface DatabaseMessage {
  id: string;
  topic: string;
  event: string;
  isPrivate: boolean;
  payload?: unknown;
  binaryPayload?: Buffer;
}

function isValidJson(buf: Buffer): boolean {
  try {
    JSON.parse(buf.toString('utf8'));
    return true;
  } catch {
    return false;
  }
}

function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

export class RealtimeServer {
  readonly metrics = new RealtimeMetrics();
  readonly registry = new TopicRegistry(this.metrics);
  private readonly connections = new Set<Connection>();
  private readonly wss: WebSocketServer;
  private readonly tenantJoins: RateWindow;
  private readonly tenantMessages: RateWindow;
  private sweepTimer: NodeJS.Timeout | null = null;
  private nextConnectionId = 0;
  private engine: PostgresChangesEngine | null = null;
  /** Whether broadcast-from-database is streaming (for `broadcast.replication_ready`). */
  private isReplicationReady: () => boolean = () => false;

  constructor(
    private readonly ctx: ServiceContext,
    readonly opts: RealtimeOptions,
  ) {
    // No per-message deflate: per-connection zlib contexts cost memory and CPU, and fan-out writes
    // one shared frame to every socket.
    this.wss = new WebSocketServer({
      noServer: true,
      perMessageDeflate: false,
      maxPayload: opts.maxFrameBytes,
      clientTracking: false,
    });
    this.tenantJoins = new RateWindow(opts.maxJoinsPerSecond, 1000);
    this.tenantMessages = new RateWindow(opts.maxMessagesPerSecond, 1000);
    this.metrics.sendBuffers = () => {
      let total = 0;
      let max = 0;
      for (const conn of this.connections) {
        const buffered = conn.ws.bufferedAmount;
        total += buffered;
        if (buffered > max) max = buffered;
      }
      return { total, max };
    };
  }

  setPostgresChangesEngine(engine: PostgresChangesEngine | null): void {
    this.engine = engine;
  }

  setReplicationReadiness(isReady: () => boolean): void {
    this.isReplicationReady = isReady;
  }

  get connectionCount(): number {
    return this.connections.size;
  }

  /** Counts a server-wide message (REST broadcasts share the client message budget). */
  hitTenantMessages(): boolean {
    return this.tenantMessages.hit();
  }

  start(): void {
    // One shared timer finds idle sockets and expired channel tokens; no per-socket timers.
    this.sweepTimer = setInterval(() => this.sweep(), this.opts.sweepIntervalMs);
    this.sweepTimer.unref();
  }

  async close(): Promise<void> {
    if (this.sweepTimer) clearInterval(this.sweepTimer);
    this.sweepTimer = null;
    for (const conn of [...this.connections]) {
      this.closeConnection(conn);
      conn.ws.terminate();
    }
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }

  // ── connecting ────────────────────────────────────────────────────────────────────────────────

  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer, path: string, url: URL): void {
    if (path !== '/websocket' && path !== '/websocket/') {
      this.rejectUpgrade(socket, { status: 404, message: 'Not Found' });
      return;
    }
    this.authorizeUpgrade(req, url).then(
      async (outcome) => {
        if ('status' in outcome) {
          this.metrics.connectionsRejected++;
          if (this.opts.connectErrorBackoffMs > 0) await sleep(this.opts.connectErrorBackoffMs);
          this.rejectUpgrade(socket, outcome);
          return;
        }
        if (socket.destroyed) return;
        this.wss.handleUpgrade(req, socket, head, (ws) => this.onConnection(ws, outcome.vsn, outcome.apiKey));
      },
      (err: unknown) => {
        this.ctx.log(`[realtime] upgrade failed: ${errorMessage(err)}\n`);
        this.rejectUpgrade(socket, { status: 500, message: 'Internal Server Error' });
      },
    );
  }

  private async authorizeUpgrade(
    req: IncomingMessage,
    url: URL,
  ): Promise<ConnectFailure | { vsn: Vsn; apiKey: string }> {
    const header = req.headers['x-api-key'];
    const apiKey = url.searchParams.get('apikey') ?? (typeof header === 'string' ? header : null);
    if (!apiKey) return { status: 401, message: 'API key is missing' };
    const vsn = url.searchParams.get('vsn') ?? VSN_1;
    if (!SUPPORTED_VSNS.includes(vsn)) {
      return {
        status: 400,
        message: `The client's requested serializer version ${JSON.stringify(vsn)} is not supported`,
      };
    }
    const failure = toConnectFailure(await this.ctx.jwt.verify(apiKey, { requireRoleAndExp: true }));
    if (failure) return failure;
    if (this.connections.size >= this.opts.maxConnections)
      return { status: 429, message: 'Too many connected users' };
    return { vsn: vsn as Vsn, apiKey };
  }

  private rejectUpgrade(socket: Duplex, failure: ConnectFailure): void {
    if (!socket.writable) {
      socket.destroy();
      return;
    }
    const body = JSON.stringify({ error: failure.message });
    socket.end(
      `HTTP/1.1 ${failure.status} ${HTTP_REASON[failure.status] ?? 'Error'}\r\n` +
        'Content-Type: application/json; charset=utf-8\r\n' +
        `Content-Length: ${Buffer.byteLength(body)}\r\n` +
        'Connection: close\r\n\r\n' +
        body,
    );
  }

  private onConnection(ws: WebSocket, vsn: Vsn, apiKey: string): void {
    const conn = new Connection(
      ++this.nextConnectionId,
      ws,
      vsn,
      apiKey,
      {
        maxJoinsPerSecond: this.opts.maxJoinsPerSecondPerSocket,
        maxMessagesPerSecond: this.opts.maxMessagesPerSecondPerSocket,
        sendBufferHighWaterBytes: this.opts.sendBufferHighWaterBytes,
      },
      (c) => this.dropSlowConsumer(c),
    );
    this.connections.add(conn);
    this.metrics.connections++;
    this.metrics.connectionsTotal++;
    ws.on('message', (data: Buffer, isBinary: boolean) => this.onFrame(conn, data, isBinary));
    ws.on('close', () => this.closeConnection(conn));
    ws.on('error', (err) => this.ctx.log(`[realtime] socket ${conn.id}: ${err.message}\n`));
  }

  /** Marks the socket closed and releases its channels (presence leaves, postgres changes). */
  private closeConnection(conn: Connection): void {
    if (conn.isClosed) return;
    conn.isClosed = true;
    this.releaseConnection(conn);
  }

  private releaseConnection(conn: Connection): void {
    if (!this.connections.delete(conn)) return;
    this.metrics.connections--;
    for (const channel of [...conn.channels.values()]) this.disposeChannel(channel);
  }

  /**
   * Slow-consumer policy: a socket whose unsent bytes pass the high-water mark is closed with 1013
   * (realtime-js reconnects and rejoins). Nothing more is queued for it, and its channels are
   * released on the next tick so the fan-out in progress is not re-entered.
   */
  private dropSlowConsumer(conn: Connection): void {
    if (conn.isClosed) return;
    conn.isClosed = true;
    this.metrics.slowConsumerDisconnects++;
    this.ctx.log(
      `[realtime] socket ${conn.id}: closing slow consumer (${conn.ws.bufferedAmount} bytes unsent)\n`,
    );
    setImmediate(() => this.releaseConnection(conn));
    conn.ws.close(CLOSE_SLOW_CONSUMER, 'Slow consumer');
    setTimeout(() => conn.ws.terminate(), SLOW_CONSUMER_TERMINATE_AFTER_MS).unref();
  }

  private sweep(): void {
    const now = Date.now();
    const idleBefore = now - this.opts.idleTimeoutMs;
    for (const conn of [...this.connections]) {
      if (conn.lastSeenAt < idleBefore) {
        // No heartbeat for too long: the peer is gone without a close frame (network loss, sleep).
        this.metrics.idleDisconnects++;
        this.closeConnection(conn);
        conn.ws.terminate();
        continue;
      }
      for (const channel of conn.channels.values()) {
        if (channel.state === CHANNEL_STATE.joined && channel.expiresAtMs <= now) {
          const ago = Math.floor((now - channel.expiresAtMs) / 1000);
          this.shutdownChannel(channel, `Token has expired ${ago} seconds ago`);
        }
      }
    }
  }

  // ── inbound frames ────────────────────────────────────────────────────────────────────────────

  private onFrame(conn: Connection, data: Buffer, isBinary: boolean): void {
    if (conn.isClosed) return;
    conn.lastSeenAt = Date.now();
    const decoded = isBinary ? decodeBinary(data) : decodeText(data.toString('utf8'), conn.vsn);
    if (!decoded.ok) {
      // As hosted (MalformedWebSocketMessage): the message is dropped, the connection stays. It
      // still counts against the socket's message budget, so garbage cannot be sent without limit
      // (and costs no log line once the socket is over its budget).
      this.metrics.malformedFrames++;
      if (conn.messages.hit(conn.lastSeenAt))
        this.ctx.log(`[realtime] socket ${conn.id}: malformed message dropped (${decoded.reason})\n`);
      else this.metrics.rateLimited++;
      return;
    }
    try {
      this.dispatch(conn, decoded.message);
    } catch (err) {
      this.ctx.log(`[realtime] socket ${conn.id}: ${err instanceof Error ? err.stack : String(err)}\n`);
    }
  }

  private dispatch(conn: Connection, msg: InboundMessage): void {
    if (msg.topic === PHOENIX_TOPIC) {
      if (msg.event === 'heartbeat') conn.reply(null, msg.ref, PHOENIX_TOPIC, 'ok', {});
      return;
    }
    const channel = conn.channels.get(msg.topic);
    if (!conn.messages.hit(conn.lastSeenAt) || !this.tenantMessages.hit(conn.lastSeenAt)) {
      this.metrics.rateLimited++;
      if (channel && msg.event !== 'phx_join')
        channel.run(() => this.shutdownChannel(channel, CHANNEL_SHUTDOWN.tooManyMessages));
      else
        conn.reply(msg.joinRef, msg.ref, msg.topic, 'error', {
          reason: `MessagePerSecondRateLimitReached: ${CHANNEL_SHUTDOWN.tooManyMessages}`,
        });
      return;
    }
    if (msg.event === 'phx_join') {
      this.join(conn, msg);
      return;
    }
    if (!channel) {
      conn.reply(msg.joinRef, msg.ref, msg.topic, 'error', { reason: 'unmatched topic' });
      return;
    }
    channel.run(() => this.onChannelMessage(channel, msg));
  }

  private onChannelMessage(channel: Channel, msg: InboundMessage): void | Promise<void> {
    if (channel.state !== CHANNEL_STATE.joined) return;
    switch (msg.event) {
      case 'broadcast':
        return this.onBroadcast(channel, msg);
      case 'presence':
        return this.onPresence(channel, msg);
      case 'access_token':
        return this.onAccessToken(channel, msg);
      case 'phx_leave':
        channel.conn.reply(channel.joinRef, msg.ref, channel.wireTopic, 'ok', {});
        this.closeChannel(channel);
        return;
      default:
        // Hosted logs and ignores other events; a reply tells a hand-written client what happened
        // and realtime-js ignores replies it is not waiting for.
        if (msg.ref !== null) {
          channel.conn.reply(channel.joinRef, msg.ref, channel.wireTopic, 'error', {
            reason: `Unexpected message from client of type \`${msg.event}\``,
          });
        }
    }
  }

  // ── channel lifecycle ─────────────────────────────────────────────────────────────────────────

  private join(conn: Connection, msg: InboundMessage): void {
    if (!msg.topic.startsWith(TOPIC_PREFIX)) {
      conn.reply(msg.joinRef, msg.ref, msg.topic, 'error', { reason: 'unmatched topic' });
      return;
    }
    // Joining a topic already joined on this socket closes the old channel first (Phoenix).
    const existing = conn.channels.get(msg.topic);
    if (existing) this.closeChannel(existing);
    const channel = new Channel(conn, msg.topic, msg.joinRef ?? msg.ref, (ch, err) =>
      this.onChannelCrash(ch, err),
    );
    conn.channels.set(msg.topic, channel);
    channel.run(() => this.completeJoin(channel, msg));
  }

  private async completeJoin(channel: Channel, msg: InboundMessage): Promise<void> {
    const conn = channel.conn;
    let disconnectAfter = false;
    try {
      const name = channel.name;
      if (name === '') throw new ChannelError('TopicNameRequired', 'You must provide a topic name');
      const parsed = ZJoinPayload.safeParse(msg.payload ?? {});
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        throw new ChannelError(
          'InvalidJoinPayload',
          `${issue?.path.join('.') || 'payload'}: ${issue?.message ?? 'invalid'}`,
        );
      }
      const config = parsed.data.config ?? {};
      if (conn.channels.size > this.opts.maxChannelsPerSocket)
        throw new ChannelError('ChannelRateLimitReached', 'Too many channels');
      const now = Date.now();
      if (!conn.joins.hit(now) || !this.tenantJoins.hit(now)) {
        disconnectAfter = true;
        throw new ChannelError('ClientJoinRateLimitReached', 'Too many joins per second');
      }
      const isPrivate = config.private === true;
      if (config.broadcast?.replay && !isPrivate) {
        throw new ChannelError('UnableToReplayMessages', 'Replay is not allowed for public channels');
      }

      // Tokens starting with `sb_` are API keys, not JWTs: hosted falls back to the socket's key.
      const offered = parsed.data.access_token ?? parsed.data.user_token ?? null;
      const token = offered && !offered.startsWith('sb_') ? offered : conn.apiKey;
      const verified = toChannelTokenResult(await this.ctx.jwt.verify(token, { requireRoleAndExp: true }));
      if (!verified.ok) throw verified.error;

      channel.isPrivate = isPrivate;
      channel.selfBroadcast = config.broadcast?.self === true;
      channel.ackBroadcast = config.broadcast?.ack === true;
      channel.presenceEnabled = config.presence?.enabled === true;
      const key = config.presence?.key;
      channel.presenceKey = key === undefined || key === null || key === '' ? randomUUID() : String(key);
      channel.accessToken = token;
      channel.claims = verified.claims;
      channel.expiresAtMs = verified.expiresAtMs;

      if (isPrivate) {
        await this.authorizeRead(channel);
        if (!channel.policies.broadcastRead && !channel.policies.presenceRead) {
          throw new ChannelError(
            'Unauthorized',
            `You do not have permissions to read from this Channel topic: ${name}`,
          );
        }
      }

      const replay = config.broadcast?.replay
        ? await this.loadReplay(name, config.broadcast.replay.since, config.broadcast.replay.limit)
        : null;

      const bindings = config.postgres_changes ?? [];
      // Echo each binding exactly as sent (same keys, same order) plus its id: realtime-js compares
      // them positionally.
      const echoed = bindings.map((b) => ({ ...b, id: this.bindingId(b) }));
      if (channel.isClosed) return;

      if (replay && replay.length > 0) channel.replayedIds = new Set(replay.map((m) => m.id));
      channel.topic = this.registry.subscribe(name, isPrivate, channel);
      channel.state = CHANNEL_STATE.joined;
      this.metrics.joins++;
      this.metrics.channels++;
      conn.reply(channel.joinRef, msg.ref, channel.wireTopic, 'ok', { postgres_changes: echoed });
      if (channel.receivesPresence()) this.pushPresenceState(channel);
      if (config.broadcast?.replication_ready) this.notifyReplicationReady(channel);
      if (replay) this.replayMessages(channel, replay);
      if (bindings.length > 0) void this.subscribePostgresChanges(channel, bindings);
    } catch (err) {
      const error =
        err instanceof ChannelError
          ? err
          : isDatabaseUnavailable(err)
            ? databaseUnavailableError()
            : new ChannelError('UnknownErrorOnChannel', 'Unknown Error on Channel');
      if (!(err instanceof ChannelError) && error.code !== 'UnableToConnectToProject')
        this.ctx.log(`[realtime] join ${channel.wireTopic} failed: ${errorMessage(err)}\n`);
      await this.failJoin(channel, msg, error, disconnectAfter);
    }
  }

  private async failJoin(
    channel: Channel,
    msg: InboundMessage,
    error: ChannelError,
    disconnect: boolean,
  ): Promise<void> {
    const conn = channel.conn;
    this.metrics.joinErrors++;
    channel.state = CHANNEL_STATE.closed;
    if (conn.channels.get(channel.wireTopic) === channel) conn.channels.delete(channel.wireTopic);
    if (this.opts.channelErrorBackoffMs > 0) await sleep(this.opts.channelErrorBackoffMs);
    conn.reply(channel.joinRef, msg.ref, channel.wireTopic, 'error', { reason: error.reason });
    if (disconnect && !conn.isClosed) {
      // Hosted disconnects a socket that joins too fast; the client reconnects with back-off.
      this.closeConnection(conn);
      conn.ws.close(1000, 'Too many joins per second');
    }
  }

  /** phx_close (join_ref and ref both the join ref) and release: leave, rejoin, shutdown. */
  private closeChannel(channel: Channel): void {
    if (channel.isClosed) return;
    channel.conn.push(channel.joinRef, channel.joinRef, channel.wireTopic, 'phx_close', {});
    this.disposeChannel(channel);
  }

  /** Server-initiated shutdown: a `system` error with the reason, then phx_close. No rejoin follows. */
  private shutdownChannel(channel: Channel, message: string): void {
    if (channel.isClosed) return;
    channel.conn.push(channel.joinRef, null, channel.wireTopic, 'system', {
      extension: 'system',
      status: 'error',
      message,
      channel: channel.name,
    });
    this.closeChannel(channel);
  }

  /** An unexpected failure in channel code: phx_error makes realtime-js rejoin with back-off. */
  private onChannelCrash(channel: Channel, err: unknown): void {
    this.ctx.log(
      `[realtime] channel ${channel.wireTopic} crashed: ${err instanceof Error ? err.stack : String(err)}\n`,
    );
    if (channel.isClosed) return;
    channel.conn.push(channel.joinRef, channel.joinRef, channel.wireTopic, 'phx_error', {});
    this.disposeChannel(channel);
  }

  private disposeChannel(channel: Channel): void {
    if (channel.isClosed) return;
    const wasJoined = channel.state === CHANNEL_STATE.joined;
    channel.state = CHANNEL_STATE.closed;
    const conn = channel.conn;
    if (conn.channels.get(channel.wireTopic) === channel) conn.channels.delete(channel.wireTopic);
    const topic = channel.topic;
    if (topic) {
      if (channel.trackedJson !== null) {
        channel.trackedJson = null;
        const diff = topic.presence.untrack(channel, channel.presenceKey);
        if (diff) this.registry.presenceDiff(topic, diff);
      }
      this.registry.unsubscribe(topic, channel);
    }
    channel.pg?.close();
    channel.pg = null;
    if (wasJoined) this.metrics.channels--;
  }

  // ── authorization ─────────────────────────────────────────────────────────────────────────────

  private async authorizeRead(channel: Channel): Promise<void> {
    const extensions: AuthExtension[] = channel.presenceEnabled ? ['broadcast', 'presence'] : ['broadcast'];
    let read: Record<AuthExtension, boolean>;
    try {
      read = await checkRead(
        { pool: this.ctx.pool, topic: channel.name, claims: channel.claims },
        extensions,
      );
    } catch (err) {
      if (err instanceof PolicyError && isDatabaseUnavailable(err.cause)) throw databaseUnavailableError();
      if (err instanceof PolicyError)
        throw new ChannelError(
          'RlsPolicyError',
          `Error on RLS policy used for authorization: ${err.message}`,
        );
      throw err;
    }
    channel.policies = {
      broadcastRead: read.broadcast,
      presenceRead: channel.presenceEnabled ? read.presence : null,
      broadcastWrite: null,
      presenceWrite: null,
    };
  }

  private async authorizeWrite(channel: Channel, extension: AuthExtension): Promise<boolean> {
    try {
      return await checkWrite(
        { pool: this.ctx.pool, topic: channel.name, claims: channel.claims },
        extension,
      );
    } catch (err) {
      this.ctx.log(
        `[realtime] RlsPolicyError on ${channel.wireTopic} (${extension} write): ${errorMessage(err)}\n`,
      );
      return false;
    }
  }

  /** Write permission for REST broadcasts to private topics (same probe as for sockets). */
  async canWritePrivate(topic: string, claims: Record<string, unknown>): Promise<boolean> {
    try {
      return await checkWrite({ pool: this.ctx.pool, topic, claims }, 'broadcast');
    } catch (err) {
      this.ctx.log(`[realtime] RlsPolicyError on ${topic} (REST broadcast write): ${errorMessage(err)}\n`);
      return false;
    }
  }

  // ── broadcast ─────────────────────────────────────────────────────────────────────────────────

  private onBroadcast(channel: Channel, msg: InboundMessage): void | Promise<void> {
    this.metrics.messagesIn.broadcast++;
    const frame = isUserBroadcast(msg)
      ? this.frameFromBinary(channel, msg)
      : this.frameFromJson(channel, msg);
    if (!frame) return;
    if (channel.isPrivate && channel.policies.broadcastWrite === null) {
      return this.authorizeWrite(channel, 'broadcast').then((allowed) => {
        channel.policies.broadcastWrite = allowed;
        this.relayBroadcast(channel, msg, frame);
      });
    }
    this.relayBroadcast(channel, msg, frame);
  }

  private frameFromBinary(channel: Channel, msg: InboundUserBroadcast): BroadcastFrame | null {
    if (msg.rawPayload.length > this.opts.maxBroadcastPayloadBytes) return this.payloadTooLarge(channel, msg);
    if (!msg.isBinaryPayload && !isValidJson(msg.rawPayload)) {
      // Forwarding invalid JSON would make every receiving realtime-js throw while decoding.
      channel.conn.reply(channel.joinRef, msg.ref, channel.wireTopic, 'error', {
        reason: 'UnableToHandleBroadcast: payload is not valid JSON',
      });
      return null;
    }
    return new BroadcastFrame(channel.wireTopic, msg.userEvent, msg.rawPayload, msg.isBinaryPayload);
  }

  private frameFromJson(channel: Channel, msg: InboundMessage): BroadcastFrame | null {
    const parsed = ZBroadcastPayload.safeParse(msg.payload);
    if (!parsed.success) {
      channel.conn.reply(channel.joinRef, msg.ref, channel.wireTopic, 'error', {
        reason: 'UnableToHandleBroadcast: a broadcast needs a string `event` and a `payload`',
      });
      return null;
    }
    const bytes = Buffer.from(JSON.stringify(parsed.data.payload ?? {}));
    if (bytes.length > this.opts.maxBroadcastPayloadBytes) return this.payloadTooLarge(channel, msg);
    return new BroadcastFrame(channel.wireTopic, parsed.data.event, bytes, false);
  }

  private payloadTooLarge(channel: Channel, msg: InboundMessage): null {
    channel.conn.reply(channel.joinRef, msg.ref, channel.wireTopic, 'error', {
      reason: `PayloadSizeExceeded: Payload size exceeds the limit of ${this.opts.maxBroadcastPayloadBytes} bytes`,
    });
    return null;
  }

  private relayBroadcast(channel: Channel, msg: InboundMessage, frame: BroadcastFrame): void {
    // Private channel without write permission: dropped silently, no ack (as hosted).
    if (channel.isClosed || !channel.topic || (channel.isPrivate && channel.policies.broadcastWrite !== true))
      return;
    this.fanOut(channel.topic, frame, channel.selfBroadcast ? null : channel);
    if (channel.ackBroadcast) channel.conn.reply(channel.joinRef, msg.ref, channel.wireTopic, 'ok', {});
  }

  /** REST and database broadcasts: no sender channel, delivered to the topic's readers. */
  deliverToTopic(name: string, isPrivate: boolean, frame: BroadcastFrame): number {
    const topic = this.registry.find(name, isPrivate);
    return topic ? this.fanOut(topic, frame, null) : 0;
  }

  /**
   * Every delivery counts against the server-wide message budget, as hosted counts each fan-out
   * delivery against the tenant's events per second. Deliveries already under way are never cut
   * short; a budget spent by fan-out refuses the next client and REST messages instead.
   */
  private fanOut(topic: Topic, frame: BroadcastFrame, except: Channel | null): number {
    const delivered = this.registry.broadcast(topic, frame, except);
    if (delivered > 0) this.tenantMessages.add(delivered);
    return delivered;
  }

  deliverFromDatabase(message: DatabaseMessage, commitTimeMs: number | null): void {
    this.metrics.dbBroadcasts++;
    const wireTopic = `${TOPIC_PREFIX}${message.topic}`;
    const meta = { id: message.id };
    const frame = message.binaryPayload
      ? new BroadcastFrame(wireTopic, message.event, message.binaryPayload, true, meta)
      : BroadcastFrame.fromJson(wireTopic, message.event, message.payload ?? {}, meta);
    const delivered = this.deliverToTopic(message.topic, message.isPrivate, frame);
    if (delivered > 0 && commitTimeMs !== null)
      this.metrics.dbBroadcastLatency.record(Date.now() - commitTimeMs);
  }

  private async loadReplay(
    name: string,
    since: number,
    limit = MAX_REPLAY_MESSAGES,
  ): Promise<DatabaseMessage[]> {
    try {
      // inserted_at is a timestamp without time zone written with now(), i.e. in the session time zone.
      const res = await this.ctx.pool.query<{
        id: string;
        event: string | null;
        payload: unknown;
        binary_payload: Buffer | null;
      }>(
        `select id, event, payload, binary_payload from realtime.messages
          where topic = $1 and private and extension = 'broadcast'
            and inserted_at >= (to_timestamp($2::double precision / 1000) at time zone current_setting('TimeZone'))
          order by inserted_at, id limit $3`,
        [name, since, Math.min(Math.max(1, limit), MAX_REPLAY_MESSAGES)],
      );
      return res.rows.map((r) => ({
        id: r.id,
        topic: name,
        event: r.event ?? '',
        isPrivate: true,
        payload: r.payload ?? undefined,
        binaryPayload: r.binary_payload ?? undefined,
      }));
    } catch (err) {
      this.ctx.log(`[realtime] replay on ${name} failed: ${errorMessage(err)}\n`);
      throw new ChannelError('UnableToReplayMessages', 'Realtime was unable to replay messages');
    }
  }

  /** Stored messages go to the joining channel only, marked `meta.replayed`. */
  private replayMessages(channel: Channel, messages: DatabaseMessage[]): void {
    for (const m of messages) {
      const meta = { replayed: true, id: m.id };
      const frame = m.binaryPayload
        ? new BroadcastFrame(channel.wireTopic, m.event, m.binaryPayload, true, meta)
        : BroadcastFrame.fromJson(channel.wireTopic, m.event, m.payload ?? {}, meta);
      const encoded = frame.encode(channel.conn.vsn);
      if (encoded && channel.conn.sendFrame(encoded)) this.metrics.messagesOut.broadcast++;
    }
  }

  private notifyReplicationReady(channel: Channel): void {
    const ready = this.isReplicationReady();
    channel.conn.push(channel.joinRef, null, channel.wireTopic, 'system', {
      extension: 'system',
      status: ready ? 'ok' : 'error',
      message: ready
        ? 'Replication connection established'
        : 'Replication connection was not established in time',
      channel: channel.name,
    });
  }

  // ── presence ──────────────────────────────────────────────────────────────────────────────────

  private onPresence(channel: Channel, msg: InboundMessage): void | Promise<void> {
    this.metrics.messagesIn.presence++;
    const parsed = ZPresencePayload.safeParse(msg.payload);
    if (!parsed.success) {
      channel.conn.reply(channel.joinRef, msg.ref, channel.wireTopic, 'ok', {});
      return;
    }
    const now = Date.now();
    if (now - channel.presenceWindowStart >= this.opts.presenceWindowMs) {
      channel.presenceWindowStart = now;
      channel.presenceCalls = 1;
    } else if (channel.presenceCalls >= this.opts.presenceMaxCallsPerWindow) {
      this.metrics.rateLimited++;
      this.shutdownChannel(channel, CHANNEL_SHUTDOWN.presenceRateLimit);
      return;
    } else {
      channel.presenceCalls++;
    }
    switch (parsed.data.event.toLowerCase()) {
      case 'track':
        return this.track(channel, msg, parsed.data.payload);
      case 'untrack':
        this.untrack(channel);
        channel.conn.reply(channel.joinRef, msg.ref, channel.wireTopic, 'ok', {});
        return;
      default:
        channel.conn.reply(channel.joinRef, msg.ref, channel.wireTopic, 'error', {});
    }
  }

  private track(channel: Channel, msg: InboundMessage, payload: unknown): void | Promise<void> {
    const meta = ZPresenceMeta.safeParse(payload ?? {});
    if (!meta.success) {
      channel.conn.reply(channel.joinRef, msg.ref, channel.wireTopic, 'error', {
        reason: 'Presence track payload must be a map',
      });
      return;
    }
    const json = JSON.stringify(meta.data);
    if (Buffer.byteLength(json) > this.opts.maxBroadcastPayloadBytes) {
      this.shutdownChannel(channel, CHANNEL_SHUTDOWN.presenceTooLarge);
      return;
    }
    if (channel.isPrivate && channel.policies.presenceWrite === null) {
      return this.authorizePresence(channel).then(() => this.applyTrack(channel, msg, meta.data, json));
    }
    this.applyTrack(channel, msg, meta.data, json);
  }

  private async authorizePresence(channel: Channel): Promise<void> {
    if (channel.policies.presenceRead === null) {
      try {
        const read = await checkRead({ pool: this.ctx.pool, topic: channel.name, claims: channel.claims }, [
          'presence',
        ]);
        channel.policies.presenceRead = read.presence;
      } catch (err) {
        this.ctx.log(
          `[realtime] RlsPolicyError on ${channel.wireTopic} (presence read): ${errorMessage(err)}\n`,
        );
        channel.policies.presenceRead = false;
      }
    }
    channel.policies.presenceWrite = await this.authorizeWrite(channel, 'presence');
  }

  private applyTrack(
    channel: Channel,
    msg: InboundMessage,
    meta: Record<string, unknown>,
    json: string,
  ): void {
    if (channel.isClosed || !channel.topic) return;
    if (channel.isPrivate && channel.policies.presenceWrite !== true) {
      channel.conn.reply(channel.joinRef, msg.ref, channel.wireTopic, 'error', {});
      return;
    }
    channel.conn.reply(channel.joinRef, msg.ref, channel.wireTopic, 'ok', {});
    if (json !== channel.trackedJson) {
      channel.trackedJson = json;
      this.registry.presenceDiff(
        channel.topic,
        channel.topic.presence.track(channel, channel.presenceKey, meta),
      );
    }
    if (!channel.presenceEnabled) {
      // A track enables presence on a channel that joined without it; it never got the join-time
      // presence_state, so send it now.
      channel.presenceEnabled = true;
      if (channel.receivesPresence()) this.pushPresenceState(channel);
    }
  }

  private untrack(channel: Channel): void {
    if (channel.trackedJson === null || !channel.topic) return;
    channel.trackedJson = null;
    const diff = channel.topic.presence.untrack(channel, channel.presenceKey);
    if (diff) this.registry.presenceDiff(channel.topic, diff);
  }

  private pushPresenceState(channel: Channel): void {
    if (!channel.topic) return;
    if (
      channel.conn.push(
        channel.joinRef,
        null,
        channel.wireTopic,
        'presence_state',
        channel.topic.presence.state(),
      )
    ) {
      this.metrics.messagesOut.presence++;
    }
  }

  // ── tokens ────────────────────────────────────────────────────────────────────────────────────

  private onAccessToken(channel: Channel, msg: InboundMessage): void | Promise<void> {
    const parsed = ZAccessTokenPayload.safeParse(msg.payload);
    const token = parsed.success ? parsed.data.access_token : null;
    // Identical token, null, or an `sb_` API key: ignored, as hosted.
    if (!token || token.startsWith('sb_') || token === channel.accessToken) return;
    return this.refreshToken(channel, token);
  }

  private async refreshToken(channel: Channel, token: string): Promise<void> {
    const verified = toChannelTokenResult(await this.ctx.jwt.verify(token, { requireRoleAndExp: true }));
    if (channel.isClosed) return;
    if (!verified.ok) {
      this.shutdownChannel(channel, verified.error.detail);
      return;
    }
    channel.accessToken = token;
    channel.claims = verified.claims;
    channel.expiresAtMs = verified.expiresAtMs;
    if (channel.isPrivate && !(await this.recheckPolicies(channel))) return;
    if (channel.pg) {
      await channel.pg.updateClaims(verified.claims).catch((err: unknown) => {
        this.ctx.log(
          `[realtime] updating postgres_changes claims on ${channel.wireTopic} failed: ${errorMessage(err)}\n`,
        );
      });
    }
  }

  /**
   * Re-runs the read policies of a joined private channel (write permissions are probed again on
   * the next send). A read permission the channel had and lost shuts it down with the message hosted
   * uses after a token refresh. False when the channel was shut down.
   */
  private async recheckPolicies(channel: Channel): Promise<boolean> {
    const before = channel.policies;
    try {
      await this.authorizeRead(channel);
    } catch (err) {
      this.ctx.log(`[realtime] re-authorizing ${channel.wireTopic} failed: ${errorMessage(err)}\n`);
      this.shutdownChannel(channel, 'Realtime was unable to connect to the project database');
      return false;
    }
    if (channel.isClosed) return false;
    const after = channel.policies;
    const isRevoked =
      (before.broadcastRead === true && after.broadcastRead !== true) ||
      (before.presenceRead === true && after.presenceRead !== true);
    if (isRevoked) {
      this.shutdownChannel(channel, CHANNEL_SHUTDOWN.readRevoked(channel.name));
      return false;
    }
    return true;
  }

  /**
   * Membership changed (see reauthorize.ts): re-checks every joined private channel of this user
   * against the policies now, instead of waiting for the next token refresh as hosted does.
   * Returns the number of channels re-checked.
   */
  reauthorizeUser(userId: string): number {
    let count = 0;
    for (const conn of this.connections) {
      for (const channel of conn.channels.values()) {
        if (!channel.isPrivate || channel.state !== CHANNEL_STATE.joined || channel.claims.sub !== userId)
          continue;
        count++;
        this.metrics.reauthorizations++;
        channel.run(async () => {
          if (channel.state === CHANNEL_STATE.joined) await this.recheckPolicies(channel);
        });
      }
    }
    return count;
  }

  // ── postgres changes ──────────────────────────────────────────────────────────────────────────

  private toEngineBinding(b: TPgChangeBindingInput): PgChangeBinding {
    const event = b.event.toUpperCase();
    return {
      event: (PG_EVENTS.has(event) ? event : b.event) as PgChangeBinding['event'],
      schema: b.schema,
      ...(b.table ? { table: b.table } : {}),
      ...(b.filter ? { filter: b.filter } : {}),
      ...(b.select ? { select: b.select } : {}),
    };
  }

  private bindingId(b: TPgChangeBindingInput): number {
    if (this.engine) {
      try {
        return this.engine.bindingId(this.toEngineBinding(b));
      } catch {
        // fall through: an invalid binding still needs an id; its subscribe reports the error.
      }
    }
    let hash = 0;
    for (const ch of JSON.stringify([b.event, b.schema, b.table, b.filter]))
      hash = (Math.imul(hash, 31) + ch.charCodeAt(0)) | 0;
    return hash >>> 0;
  }

  private async subscribePostgresChanges(channel: Channel, bindings: TPgChangeBindingInput[]): Promise<void> {
    const system = (status: 'ok' | 'error', message: string) =>
      channel.conn.push(channel.joinRef, null, channel.wireTopic, 'system', {
        extension: 'postgres_changes',
        status,
        message,
        channel: channel.name,
      });
    try {
      if (!this.engine) throw new Error('Postgres Changes are disabled on this server');
      const claims = channel.claims;
      const sub = await this.engine.subscribe(
        bindings.map((b) => this.toEngineBinding(b)),
        claims,
        (ids, data) => {
          if (channel.state !== CHANNEL_STATE.joined) return;
          if (channel.conn.push(null, null, channel.wireTopic, 'postgres_changes', { ids, data }))
            this.metrics.messagesOut.postgres_changes++;
        },
      );
      if (channel.isClosed) {
        sub.close();
        return;
      }
      channel.pg = sub;
      // The token may have been refreshed while the subscription was being created.
      if (channel.claims !== claims) await sub.updateClaims(channel.claims);
      system('ok', 'Subscribed to PostgreSQL');
    } catch (err) {
      if (channel.isClosed) return;
      system('error', isDatabaseUnavailable(err) ? databaseUnavailableError().reason : errorMessage(err));
    }
  }
}
