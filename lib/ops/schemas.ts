/**
 * Response shapes of GET /api/realtime/{health,status,stats}. The route handlers build exactly these
 * types; clients (the admin board, monitors, tests) parse responses with the same schemas.
 * No server-only imports here, so browser code may use them.
 */
import { z } from 'zod';
import { MEMBER_ROLES } from '@/lib/domain/appointments';
import { OPS_ERROR_CODES } from './errors';

const ZIsoInstant = z.iso.datetime({ offset: true });

// ---------------------------------------------------------------------------------------------
// health
// ---------------------------------------------------------------------------------------------

export const CHECK_STATUSES = ['ok', 'warning', 'error'] as const;
export const ZCheckStatus = z.enum(CHECK_STATUSES);
export type TCheckStatus = z.infer<typeof ZCheckStatus>;

export const ZHealthCheck = z.object({
  status: ZCheckStatus,
  /** How long the probe took (until the failure or the timeout, for errors). */
  latencyMs: z.number().nonnegative(),
  /** One sentence for people; never a URL, key or upstream error text. */
  message: z.string(),
});
export type THealthCheck = z.infer<typeof ZHealthCheck>;

export const ZHealthReport = z.object({
  /** The worst of the checks. HTTP 503 when it is `error`. */
  status: ZCheckStatus,
  timestamp: ZIsoInstant,
  version: z.string(),
  checks: z.object({
    database: ZHealthCheck,
    realtime: ZHealthCheck,
  }),
});
export type THealthReport = z.infer<typeof ZHealthReport>;

// ---------------------------------------------------------------------------------------------
// status
// ---------------------------------------------------------------------------------------------

export const TOPIC_KINDS = [
  'clinic_schedule',
  'dentist_schedule',
  'patient_appointments',
  'clinic_availability',
  'clinic_staff',
] as const;
export const ZTopicKind = z.enum(TOPIC_KINDS);
export type TTopicKind = z.infer<typeof ZTopicKind>;

export const ZTopicStatus = z.object({
  topic: z.string(),
  kind: ZTopicKind,
  /** Every topic of the app is private: join with `{ config: { private: true } }`. */
  private: z.literal(true),
  /**
   * False when the caller cannot know when this topic last carried an event: presence topics
   * log nothing, and the availability topic's events come from changes the caller's RLS hides.
   */
  lastEventTracked: z.boolean(),
  /** Newest activity_log entry in the topic's scope that the caller may read; null if none. */
  lastEventAt: ZIsoInstant.nullable(),
});
export type TTopicStatus = z.infer<typeof ZTopicStatus>;

export const ZStatusReport = z.object({
  userId: z.uuid(),
  /** null for a user without a profile (they can subscribe to nothing). */
  role: z.enum(MEMBER_ROLES).nullable(),
  clinicId: z.uuid().nullable(),
  serverTime: ZIsoInstant,
  topics: z.array(ZTopicStatus),
});
export type TStatusReport = z.infer<typeof ZStatusReport>;

// ---------------------------------------------------------------------------------------------
// stats
// ---------------------------------------------------------------------------------------------

export const METRICS_SOURCES = ['local', 'unavailable'] as const;
export type TMetricsSource = (typeof METRICS_SOURCES)[number];

const ZCount = z.number().int().nonnegative();
const ZRate = z.number().nonnegative();

export const ZRealtimeStats = z.object({
  /**
   * `local`: the local stack's metrics endpoint answered. `unavailable`: a hosted project (no such
   * endpoint) or the endpoint failed; every number below is then null.
   */
  source: z.enum(METRICS_SOURCES),
  connections: ZCount.nullable(),
  channels: ZCount.nullable(),
  /** Channel joins since the realtime server started. */
  joins: ZCount.nullable(),
  joinsPerSecond: ZRate.nullable(),
  /** Messages in and out (broadcast, presence, postgres_changes) per second. */
  messagesPerSecond: ZRate.nullable(),
  /** The window the rates are averaged over (since the previous sample, else since server start). */
  rateWindowSeconds: ZRate.nullable(),
  /**
   * Database commit → frame sent to subscribers, for broadcasts from the database. Bucket upper
   * bounds, so coarse; null until the first such broadcast.
   */
  deliveryLatencyMs: z.object({
    p50: ZRate.nullable(),
    p95: ZRate.nullable(),
    p99: ZRate.nullable(),
    samples: ZCount.nullable(),
  }),
});
export type TRealtimeStats = z.infer<typeof ZRealtimeStats>;

export const ZSchedulingStats = z.object({
  /** Unexpired slot holds in the clinic right now. */
  activeHolds: ZCount,
  /** Appointments booked (created) since local midnight, whatever their status now. */
  bookingsToday: ZCount,
  /** Appointments booked (created) since Monday 00:00 local time. */
  bookingsThisWeek: ZCount,
  dayStartsAt: ZIsoInstant,
  weekStartsAt: ZIsoInstant,
});
export type TSchedulingStats = z.infer<typeof ZSchedulingStats>;

/**
 * GET /api/realtime/stats, for a clinic's admins: that clinic's figures only. Nothing in it is
 * about other clinics (the realtime server counters are server-wide, see ZServerStatsReport).
 */
export const ZStatsReport = z.object({
  generatedAt: ZIsoInstant,
  scope: z.literal('clinic'),
  clinic: z.object({ id: z.uuid(), timezone: z.string() }),
  scheduling: ZSchedulingStats,
});
export type TStatsReport = z.infer<typeof ZStatsReport>;

/**
 * GET /api/realtime/server-stats, for server operators only: the realtime server's counters, which
 * add up every clinic's connections and messages.
 */
export const ZServerStatsReport = z.object({
  generatedAt: ZIsoInstant,
  scope: z.literal('server'),
  realtime: ZRealtimeStats,
});
export type TServerStatsReport = z.infer<typeof ZServerStatsReport>;

// ---------------------------------------------------------------------------------------------
// errors
// ---------------------------------------------------------------------------------------------

export const ZOpsErrorBody = z.object({
  error: z.object({ code: z.enum(OPS_ERROR_CODES), message: z.string() }),
});
