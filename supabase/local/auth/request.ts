/**
 * Reading what arrives from the network: JSON bodies through zod, the bearer token, the client
 * user agent. Type mismatches are `bad_json` like GoTrue's (Go's json.Unmarshal fails on them).
 */
import type { IncomingMessage } from 'node:http';
import type { z } from 'zod';
import { BodyTooLargeError, readBody } from '../http';
import { AuthApiError, badRequest } from './errors';
import { AUTH_BODY_LIMIT } from './options';

const NUL_MESSAGE = 'Request body contains a NUL character (\\u0000), which is not allowed';
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const BEARER_PATTERN = /^\s*bearer\s+(\S+)\s*$/i;

export async function readRawBody(req: IncomingMessage): Promise<string> {
  try {
    return (await readBody(req, AUTH_BODY_LIMIT)).toString('utf8');
  } catch (err) {
    if (err instanceof BodyTooLargeError) {
      throw new AuthApiError(
        413,
        'request_entity_too_large',
        `Request body too large (max ${err.limit} bytes)`,
      );
    }
    throw err;
  }
}

/** Parse a JSON body with `schema`. `allowEmpty` = an empty body counts as `{}` (admin DELETE). */
export async function readJson<S extends z.ZodType>(
  req: IncomingMessage,
  schema: S,
  opts: { allowEmpty?: boolean } = {},
): Promise<z.infer<S>> {
  const text = await readRawBody(req);
  let value: unknown;
  if (text.trim() === '') {
    if (!opts.allowEmpty)
      throw badRequest('bad_json', 'Could not parse request body as JSON: unexpected end of JSON input');
    value = {};
  } else {
    try {
      value = JSON.parse(text);
    } catch (err) {
      throw badRequest('bad_json', `Could not parse request body as JSON: ${(err as Error).message}`);
    }
  }
  const parsed = schema.safeParse(normalizeStrings(value));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.length ? ` (field ${issue.path.join('.')})` : '';
    throw badRequest(
      'bad_json',
      `Could not parse request body as JSON: ${issue?.message ?? 'invalid body'}${where}`,
    );
  }
  return parsed.data;
}

/**
 * Strings as Go's json.Unmarshal leaves them for GoTrue: lone UTF-16 surrogates become U+FFFD.
 * NUL is refused: PostgreSQL text and jsonb cannot hold it, so it could only end as a 500.
 */
function normalizeStrings(value: unknown): unknown {
  if (typeof value === 'string') {
    if (value.includes('\0')) throw badRequest('validation_failed', NUL_MESSAGE);
    return value.replace(LONE_SURROGATE, '\uFFFD');
  }
  if (Array.isArray(value)) return value.map(normalizeStrings);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[normalizeStrings(k) as string] = normalizeStrings(v);
    return out;
  }
  return value;
}

/** The token of `Authorization: Bearer …`. GoTrue ignores the `apikey` header here. */
export function bearerToken(req: IncomingMessage): string | null {
  const header = req.headers.authorization;
  if (typeof header !== 'string') return null;
  const m = BEARER_PATTERN.exec(header);
  return m ? m[1] : null;
}

export function userAgent(req: IncomingMessage): string | null {
  const ua = req.headers['user-agent'];
  return typeof ua === 'string' ? ua : null;
}
