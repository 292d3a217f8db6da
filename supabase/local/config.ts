/**
 * Constants of the local stack contract (see README "Local stack").
 * The JWT secret and the two API keys are the Supabase CLI's well-known local defaults, so tools that
 * know those defaults work against this stack too. They are public demo values, never production secrets.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parse as parseToml } from 'smol-toml';
import { z } from 'zod';

export const DEFAULT_API_PORT = 54321;
export const DEFAULT_DB_PORT = 54322;
export const DEFAULT_HOST = '127.0.0.1';

export const LOCAL_JWT_SECRET = 'super-secret-jwt-token-with-at-least-32-characters-long';
export const LOCAL_ANON_KEY =
  'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJzdXBhYmFzZS1kZW1vIiwicm9sZSI6ImFub24iLCJleHAiOjE5ODM4MTI5OTZ9.CRXP1A7WOeoJeXxjNni43kdQwgnWNReilDMblYTn_I0';
export const LOCAL_SERVICE_ROLE_KEY =
  'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJzdXBhYmFzZS1kZW1vIiwicm9sZSI6InNlcnZpY2Vfcm9sZSIsImV4cCI6MTk4MzgxMjk5Nn0.EGIM96RAZx35lJzdJsyH-qQwv8Hdp7fsn3W0YpN81IU';

export const DB_USER = 'postgres';
export const DB_PASSWORD = 'postgres';
export const DB_NAME = 'postgres';

/** Repository root (this file lives in supabase/local/). */
export const REPO_ROOT = path.resolve(__dirname, '..', '..');
export const SUPABASE_DIR = path.join(REPO_ROOT, 'supabase');
export const DEFAULT_DATA_DIR = path.join(SUPABASE_DIR, '.data');
export const MIGRATIONS_DIR = path.join(SUPABASE_DIR, 'migrations');
export const SEED_FILE = path.join(SUPABASE_DIR, 'seed.sql');
export const CONFIG_FILE = path.join(SUPABASE_DIR, 'config.toml');

/** Schemas the REST API exposes (as the CLI's `[api] schemas`). */
export const EXPOSED_SCHEMAS = ['public', 'graphql_public'];
export const EXTRA_SEARCH_PATH = ['public', 'extensions'];
export const MAX_ROWS = 1000;

export interface StackPorts {
  apiPort: number;
  dbPort: number;
}

function readPort(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`${name} must be a TCP port number (0-65535), got "${raw}"`);
  }
  return port;
}

/** Ports and data dir from the environment overrides of the contract. */
export function readEnvOverrides(): StackPorts & { dataDir: string } {
  return {
    apiPort: readPort('SUPABASE_API_PORT', DEFAULT_API_PORT),
    dbPort: readPort('SUPABASE_DB_PORT', DEFAULT_DB_PORT),
    dataDir: process.env.SUPABASE_DATA_DIR ? path.resolve(process.env.SUPABASE_DATA_DIR) : DEFAULT_DATA_DIR,
  };
}

/**
 * The `[auth]` settings of supabase/config.toml the local Auth server honours. Keys the CLI knows
 * keep the CLI's names and defaults; `security_sb_forwarded_for_enabled` is hosted Auth's name for
 * IP address forwarding (the CLI has no key for it and ignores it).
 */
export interface ProjectAuthConfig {
  passwordMinLength: number;
  refreshTokenReuseIntervalSeconds: number;
  mailerAutoconfirm: boolean;
  anonymousSignInsEnabled: boolean;
  disableSignup: boolean;
  /** `[auth.rate_limit] sign_in_sign_ups`: per IP address per 5 minutes. */
  signInSignUpsPerWindow: number;
  sbForwardedForEnabled: boolean;
}

const ZCount = z.number().int().nonnegative();
const ZConfigToml = z.object({
  auth: z
    .object({
      minimum_password_length: ZCount.default(6),
      refresh_token_reuse_interval: ZCount.default(10),
      enable_signup: z.boolean().default(true),
      enable_anonymous_sign_ins: z.boolean().default(false),
      security_sb_forwarded_for_enabled: z.boolean().default(false),
      email: z.object({ enable_confirmations: z.boolean().default(false) }).prefault({}),
      rate_limit: z.object({ sign_in_sign_ups: ZCount.default(30) }).prefault({}),
    })
    .prefault({}),
});

/** Reads `file` (default supabase/config.toml); a missing file means the CLI defaults. */
export function readProjectAuthConfig(file = CONFIG_FILE): ProjectAuthConfig {
  const text = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
  let raw: unknown;
  try {
    raw = parseToml(text);
  } catch (err) {
    throw new Error(`${path.basename(file)} is not valid TOML: ${(err as Error).message}`);
  }
  const parsed = ZConfigToml.safeParse(raw);
  if (!parsed.success) throw new Error(`${path.basename(file)}: ${z.prettifyError(parsed.error)}`);
  const { auth } = parsed.data;
  return {
    passwordMinLength: auth.minimum_password_length,
    refreshTokenReuseIntervalSeconds: auth.refresh_token_reuse_interval,
    mailerAutoconfirm: !auth.email.enable_confirmations,
    anonymousSignInsEnabled: auth.enable_anonymous_sign_ins,
    disableSignup: !auth.enable_signup,
    signInSignUpsPerWindow: auth.rate_limit.sign_in_sign_ups,
    sbForwardedForEnabled: auth.security_sb_forwarded_for_enabled,
  };
}
