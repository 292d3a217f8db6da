/**
 * The HTTP side of Realtime:
 *  - POST /api/broadcast                         batch broadcast (supabase-js `send()` REST fallback)
 *  - POST /api/broadcast/<topic>/events/<event>  single broadcast (`httpSend()`), JSON or raw bytes
 *  - GET  /api/metrics                           server counters, service role only
 * Auth as hosted: `Authorization: Bearer` first, else the `apikey` header; the token must verify.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { BodyTooLargeError, readBody, requestToken, sendEmpty, sendJson } from '../http';
import type { JwtCodec } from '../jwt';
import { ZBatchBroadcastBody } from './payloads';
import { BroadcastFrame } from './serializer';
import type { RealtimeServer } from './server';

const BROADCAST_PATH = /^\/api\/broadcast\/([^/]+)\/events\/([^/]+)\/?$/;
const BATCH_BODY_OVERHEAD_BYTES = 64 * 1024;

export interface RestApiDeps {
  server: RealtimeServer;
  jwt: JwtCodec;
  metrics: () => unknown;
}

type Claims = Record<string, unknown>;

async function authenticate(
  req: IncomingMessage,
  res: ServerResponse,
  jwt: JwtCodec,
): Promise<Claims | null> {
  const token = requestToken(req);
  const verified = token ? await jwt.verify(token, { requireRoleAndExp: true }) : null;
  if (!verified?.ok) {
    sendJson(res, 401, { message: 'Unauthorized' });
    return null;
  }
  return verified.claims;
}

export async function handleRestRequest(
  deps: RestApiDeps,
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
  url: URL,
): Promise<void> {
  if (path === '/api/metrics' || path === '/api/metrics/') {
    if (req.method !== 'GET') return sendJson(res, 405, { message: 'Method Not Allowed' });
    const claims = await authenticate(req, res, deps.jwt);
    if (!claims) return;
    if (claims.role !== 'service_role') return sendJson(res, 403, { message: 'Forbidden' });
    return sendJson(res, 200, deps.metrics());
  }
  if (path === '/api/broadcast' || path === '/api/broadcast/') {
    if (req.method !== 'POST') return sendJson(res, 405, { message: 'Method Not Allowed' });
    return batchBroadcast(deps, req, res);
  }
  const single = BROADCAST_PATH.exec(path);
  if (single) {
    if (req.method !== 'POST') return sendJson(res, 405, { message: 'Method Not Allowed' });
    let topic: string;
    let event: string;
    try {
      topic = decodeURIComponent(single[1]);
      event = decodeURIComponent(single[2]);
    } catch {
      return sendJson(res, 400, { message: 'Malformed topic or event' });
    }
    return singleBroadcast(deps, req, res, topic, event, url.searchParams.get('private') === 'true');
  }
  sendJson(res, 404, { message: 'Not Found' });
}

async function readLimited(req: IncomingMessage, res: ServerResponse, limit: number): Promise<Buffer | null> {
  try {
    return await readBody(req, limit);
  } catch (err) {
    if (err instanceof BodyTooLargeError) sendJson(res, 413, { message: 'Payload Too Large' });
    else sendJson(res, 400, { message: 'Could not read the request body' });
    return null;
  }
}

async function batchBroadcast(deps: RestApiDeps, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const claims = await authenticate(req, res, deps.jwt);
  if (!claims) return;
  const limit = deps.server.opts.maxBroadcastPayloadBytes * 10 + BATCH_BODY_OVERHEAD_BYTES;
  const body = await readLimited(req, res, limit);
  if (!body) return;
  let raw: unknown;
  try {
    raw = JSON.parse(body.toString('utf8'));
  } catch {
    return sendJson(res, 422, { message: 'Request body is not valid JSON' });
  }
  const parsed = ZBatchBroadcastBody.safeParse(raw);
  if (!parsed.success) {
    return sendJson(res, 422, {
      message: 'Unprocessable Entity',
      errors: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`),
    });
  }
  const allowedPrivate = new Map<string, boolean>();
  for (const m of parsed.data.messages) {
    if (!deps.server.hitTenantMessages())
      return sendJson(res, 429, { message: 'Too many messages per second' });
    const isPrivate = m.private === true;
    if (isPrivate) {
      // Unauthorized private messages in a batch are skipped silently (hosted answers 202 anyway).
      let allowed = allowedPrivate.get(m.topic);
      if (allowed === undefined)
        allowedPrivate.set(m.topic, (allowed = await deps.server.canWritePrivate(m.topic, claims)));
      if (!allowed) continue;
    }
    const frame = BroadcastFrame.fromJson(`realtime:${m.topic}`, m.event, m.payload ?? {});
    if (frame.payload.length > deps.server.opts.maxBroadcastPayloadBytes) continue;
    deps.server.metrics.restBroadcasts++;
    deps.server.deliverToTopic(m.topic, isPrivate, frame);
  }
  sendEmpty(res, 202);
}

async function singleBroadcast(
  deps: RestApiDeps,
  req: IncomingMessage,
  res: ServerResponse,
  topic: string,
  event: string,
  isPrivate: boolean,
): Promise<void> {
  const claims = await authenticate(req, res, deps.jwt);
  if (!claims) return;
  const body = await readLimited(req, res, deps.server.opts.maxBroadcastPayloadBytes);
  if (!body) return;
  const isBinary = (req.headers['content-type'] ?? '').toLowerCase().startsWith('application/octet-stream');
  let frame: BroadcastFrame;
  if (isBinary) {
    frame = new BroadcastFrame(`realtime:${topic}`, event, body, true);
  } else {
    let payload: unknown;
    try {
      payload = JSON.parse(body.toString('utf8'));
    } catch {
      return sendJson(res, 422, { message: 'Request body is not valid JSON' });
    }
    frame = BroadcastFrame.fromJson(`realtime:${topic}`, event, payload);
  }
  if (!deps.server.hitTenantMessages())
    return sendJson(res, 429, { message: 'Too many messages per second' });
  if (isPrivate && !(await deps.server.canWritePrivate(topic, claims)))
    return sendJson(res, 403, { message: 'Unauthorized' });
  deps.server.metrics.restBroadcasts++;
  deps.server.deliverToTopic(topic, isPrivate, frame);
  sendEmpty(res, 202);
}
