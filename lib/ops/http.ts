/**
 * Responses and query parsing shared by the /api/realtime/* route handlers. Plain web `Response`s so
 * the helpers run (and are tested) outside Next.js.
 */
import { z } from 'zod';
import { mapOpsError, OpsError } from './errors';

/** Operational answers describe this instant; no browser, proxy or CDN may reuse them. */
export const NO_STORE_HEADERS = { 'Cache-Control': 'no-store' } as const;

export function jsonResponse(body: unknown, status = 200): Response {
  return Response.json(body, { status, headers: NO_STORE_HEADERS });
}

/** Logs what the caller must not see, then answers with the mapped code and fixed message. */
export function errorResponse(error: unknown, route: string): Response {
  const mapped = mapOpsError(error);
  if (mapped.shouldLog) {
    const cause = error instanceof OpsError ? (error.cause ?? error) : error;
    console.error(`[${route}] ${mapped.body.error.code}:`, cause);
  }
  return jsonResponse(mapped.body, mapped.status);
}

/** Longest parameter name echoed back in an error; the rest is cut (names come from the caller). */
const MAX_ECHOED_NAME_LENGTH = 40;

function echoName(name: string): string {
  return JSON.stringify(
    name.length > MAX_ECHOED_NAME_LENGTH ? `${name.slice(0, MAX_ECHOED_NAME_LENGTH)}…` : name,
  );
}

/** None of the endpoints takes parameters today; unknown ones are refused rather than ignored. */
export const ZNoQuery = z.object({}).strict();

export function parseQuery<T extends z.ZodType>(schema: T, url: string): z.infer<T> {
  const params = new URL(url).searchParams;
  const raw: Record<string, string> = {};
  for (const [key, value] of params) raw[key] = value;
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const names = [...params.keys()];
    const detail = parsed.error.issues
      .map((issue) =>
        issue.code === 'unrecognized_keys'
          ? `Unknown query parameter${issue.keys.length > 1 ? 's' : ''}: ${issue.keys.map(echoName).join(', ')}.`
          : `Query parameter ${echoName(String(issue.path[0] ?? names[0] ?? ''))}: ${issue.message}.`,
      )
      .join(' ');
    throw new OpsError('invalid_request', detail);
  }
  return parsed.data;
}
