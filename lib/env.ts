/**
 * The app's environment, validated once with zod.
 *
 * With nothing set, the app talks to the local stack that `npm run dev` starts, using the Supabase
 * CLI's well-known demo keys, so a fresh clone needs no `.env`. As soon as NEXT_PUBLIC_SUPABASE_URL
 * points anywhere but this machine the keys become required: the local demo keys must never be sent
 * to a hosted project, and a missing key should fail at start-up, not on the first sign-in.
 *
 * Client code may only read `publicEnv`. Next.js inlines `process.env.NEXT_PUBLIC_*` at build time
 * only where the expression is written out literally, which is why the reads below are spelled out.
 */
import { z } from 'zod';

/** The local stack's gateway (supabase/local/config.ts DEFAULT_HOST + DEFAULT_API_PORT). */
export const LOCAL_SUPABASE_URL = 'http://127.0.0.1:54321';
/**
 * The Supabase CLI's public demo keys, duplicated from supabase/local/config.ts because that module
 * uses node:path and cannot enter a browser bundle. A unit test keeps the copies equal.
 */
export const LOCAL_ANON_KEY =
  'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJzdXBhYmFzZS1kZW1vIiwicm9sZSI6ImFub24iLCJleHAiOjE5ODM4MTI5OTZ9.CRXP1A7WOeoJeXxjNni43kdQwgnWNReilDMblYTn_I0';
export const LOCAL_SERVICE_ROLE_KEY =
  'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJzdXBhYmFzZS1kZW1vIiwicm9sZSI6InNlcnZpY2Vfcm9sZSIsImV4cCI6MTk4MzgxMjk5Nn0.EGIM96RAZx35lJzdJsyH-qQwv8Hdp7fsn3W0YpN81IU';

/** Shortest string accepted as an API key; real anon/publishable keys are far longer. */
const MIN_KEY_LENGTH = 20;
const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

export class EnvError extends Error {
  override name = 'EnvError';
}

/** Empty strings count as unset: `.env` files and CI often define variables with no value. */
const ZOptionalText = z
  .string()
  .optional()
  .transform((v) => (v && v.trim() !== '' ? v.trim() : undefined));

const ZHttpUrl = z.url({
  protocol: /^https?$/,
  error: 'must be an http(s) URL, e.g. https://<project-ref>.supabase.co',
});
const ZApiKey = z
  .string()
  .min(MIN_KEY_LENGTH, `must be a Supabase API key (at least ${MIN_KEY_LENGTH} characters)`);

const ZRawPublicEnv = z.object({
  NEXT_PUBLIC_SUPABASE_URL: ZOptionalText.pipe(ZHttpUrl.optional()),
  NEXT_PUBLIC_SUPABASE_ANON_KEY: ZOptionalText.pipe(ZApiKey.optional()),
  NEXT_PUBLIC_SUPABASE_PUBLISHABLE_KEY: ZOptionalText.pipe(ZApiKey.optional()),
});
const ZRawServerEnv = z.object({
  SUPABASE_SERVICE_ROLE_KEY: ZOptionalText.pipe(ZApiKey.optional()),
});

export type TRawPublicEnv = z.input<typeof ZRawPublicEnv>;
export type TRawServerEnv = z.input<typeof ZRawServerEnv>;

export interface TPublicEnv {
  /** Without a trailing slash. */
  supabaseUrl: string;
  /** The anon key or, on newer hosted projects, the publishable key: both are safe in a browser. */
  supabaseKey: string;
  /** True when the URL is on this machine, i.e. the local stack. */
  isLocal: boolean;
}

export interface TServerEnv extends TPublicEnv {
  serviceRoleKey: string;
}

export function isLoopbackUrl(url: string): boolean {
  return LOOPBACK_HOSTS.has(new URL(url).hostname);
}

function fail(error: z.ZodError): never {
  throw new EnvError(`Invalid environment:\n${z.prettifyError(error)}`);
}

export function parsePublicEnv(raw: TRawPublicEnv): TPublicEnv {
  const parsed = ZRawPublicEnv.safeParse(raw);
  if (!parsed.success) fail(parsed.error);
  const supabaseUrl = (parsed.data.NEXT_PUBLIC_SUPABASE_URL ?? LOCAL_SUPABASE_URL).replace(/\/+$/, '');
  const isLocal = isLoopbackUrl(supabaseUrl);
  const supabaseKey =
    parsed.data.NEXT_PUBLIC_SUPABASE_ANON_KEY ??
    parsed.data.NEXT_PUBLIC_SUPABASE_PUBLISHABLE_KEY ??
    (isLocal ? LOCAL_ANON_KEY : undefined);
  if (!supabaseKey) {
    throw new EnvError(
      `Invalid environment: NEXT_PUBLIC_SUPABASE_ANON_KEY (or NEXT_PUBLIC_SUPABASE_PUBLISHABLE_KEY) is required when NEXT_PUBLIC_SUPABASE_URL points at ${supabaseUrl}`,
    );
  }
  return { supabaseUrl, supabaseKey, isLocal };
}

export function parseServerEnv(raw: TRawPublicEnv & TRawServerEnv): TServerEnv {
  const pub = parsePublicEnv(raw);
  const parsed = ZRawServerEnv.safeParse(raw);
  if (!parsed.success) fail(parsed.error);
  const serviceRoleKey =
    parsed.data.SUPABASE_SERVICE_ROLE_KEY ?? (pub.isLocal ? LOCAL_SERVICE_ROLE_KEY : undefined);
  if (!serviceRoleKey) {
    throw new EnvError(
      `Invalid environment: SUPABASE_SERVICE_ROLE_KEY is required when NEXT_PUBLIC_SUPABASE_URL points at ${pub.supabaseUrl}`,
    );
  }
  return { ...pub, serviceRoleKey };
}

/** Read once per bundle; a bad value stops the app at start-up with a readable message. */
export const publicEnv: TPublicEnv = parsePublicEnv({
  NEXT_PUBLIC_SUPABASE_URL: process.env.NEXT_PUBLIC_SUPABASE_URL,
  NEXT_PUBLIC_SUPABASE_ANON_KEY: process.env.NEXT_PUBLIC_SUPABASE_ANON_KEY,
  NEXT_PUBLIC_SUPABASE_PUBLISHABLE_KEY: process.env.NEXT_PUBLIC_SUPABASE_PUBLISHABLE_KEY,
});

let serverEnv: TServerEnv | undefined;

/** Server-only settings (the service-role key). Throws in a browser so a mistaken import fails loudly. */
export function getServerEnv(): TServerEnv {
  if (typeof window !== 'undefined') throw new EnvError('getServerEnv() must not run in the browser');
  serverEnv ??= parseServerEnv({
    NEXT_PUBLIC_SUPABASE_URL: process.env.NEXT_PUBLIC_SUPABASE_URL,
    NEXT_PUBLIC_SUPABASE_ANON_KEY: process.env.NEXT_PUBLIC_SUPABASE_ANON_KEY,
    NEXT_PUBLIC_SUPABASE_PUBLISHABLE_KEY: process.env.NEXT_PUBLIC_SUPABASE_PUBLISHABLE_KEY,
    SUPABASE_SERVICE_ROLE_KEY: process.env.SUPABASE_SERVICE_ROLE_KEY,
  });
  return serverEnv;
}
