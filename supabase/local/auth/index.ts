/**
 * The Auth API (`/auth/v1`): a GoTrue-compatible server for e-mail/password accounts that the
 * unmodified auth-js client cannot tell from hosted Supabase Auth. See router.ts for endpoints.
 */
import type { HttpService, ServiceContext } from '../service';
import type { AuthDeps } from './deps';
import { isDatabaseUnavailable } from '../db';
import { AuthApiError, badRequest, databaseUnavailable, internal, sendAuthError } from './errors';
import { resolveAuthOptions, type AuthOptionsInput } from './options';
import { FailedSignInLimiter } from './rate-limit';
import { matchRoute } from './router';
import { AUTH_ISSUER_PATH } from './tokens';

export type { AuthOptions, AuthOptionsInput } from './options';

const UNEXPECTED_MESSAGE = 'Unexpected failure, please check server logs for more information';

export function createAuthService(ctx: ServiceContext, input: AuthOptionsInput = {}): HttpService {
  const options = resolveAuthOptions(input);
  const deps: AuthDeps = {
    pool: ctx.pool,
    jwt: ctx.jwt,
    issuer: `${ctx.settings.apiUrl}${AUTH_ISSUER_PATH}`,
    jwtExpiry: ctx.settings.jwtExpiry,
    options,
    limiter: new FailedSignInLimiter(options.failedSignIns, options.now),
    log: ctx.log,
  };

  return {
    async handle(req, res, path, url) {
      try {
        rejectNulInQuery(url);
        const { handler, params } = matchRoute(req.method ?? 'GET', path);
        await handler({ req, res, url, path, params, deps });
      } catch (err) {
        let apiError = err instanceof AuthApiError ? err : internal(UNEXPECTED_MESSAGE);
        if (apiError.status === 500 && isDatabaseUnavailable(err instanceof AuthApiError ? err.cause : err))
          apiError = databaseUnavailable();
        else if (apiError.status >= 500) {
          const detail = err instanceof AuthApiError ? err.cause : err;
          ctx.log(
            `[auth] ${req.method} ${path}: ${apiError.message}${detail ? ` — ${describe(detail)}` : ''}\n`,
          );
        }
        if (res.headersSent) res.end();
        else sendAuthError(req, res, apiError);
      }
    },
  };
}

/** Query parameters reach SQL (`/admin/users?filter=`); PostgreSQL text cannot hold NUL. */
function rejectNulInQuery(url: URL): void {
  for (const [key, value] of url.searchParams) {
    if (key.includes('\0') || value.includes('\0'))
      throw badRequest(
        'validation_failed',
        `Query parameter ${JSON.stringify(key)} contains a NUL character`,
      );
  }
}

function describe(err: unknown): string {
  if (err instanceof Error) return err.stack ?? err.message;
  return String(err);
}
