/** Method + path → handler for the Auth API (paths relative to `/auth/v1`). */
import { notFound, AuthApiError } from './errors';
import type { AuthHandler } from './handlers/common';
import {
  handleCreateUser,
  handleDeleteUser,
  handleGetUserById,
  handleListUsers,
  handleUpdateUserById,
} from './handlers/admin';
import { handleHealth, handleJwks, handleSettings } from './handlers/meta';
import { handleSignup } from './handlers/signup';
import { handleToken } from './handlers/token';
import { handleGetUser, handleLogout, handleUpdateUser } from './handlers/user';

interface Route {
  pattern: RegExp;
  params: string[];
  methods: Record<string, AuthHandler>;
}

const route = (path: string, methods: Record<string, AuthHandler>): Route => {
  const params: string[] = [];
  const source = path.replace(/:([a-z_]+)/g, (_, name: string) => {
    params.push(name);
    return '([^/]+)';
  });
  return { pattern: new RegExp(`^${source}/?$`), params, methods };
};

const ROUTES: Route[] = [
  route('/health', { GET: handleHealth }),
  route('/settings', { GET: handleSettings }),
  route('/.well-known/jwks.json', { GET: handleJwks }),
  route('/signup', { POST: handleSignup }),
  route('/token', { POST: handleToken }),
  route('/user', { GET: handleGetUser, PUT: handleUpdateUser }),
  route('/logout', { POST: handleLogout }),
  route('/admin/users', { GET: handleListUsers, POST: handleCreateUser }),
  route('/admin/users/:id', { GET: handleGetUserById, PUT: handleUpdateUserById, DELETE: handleDeleteUser }),
];

/** A malformed escape (`%E0%A4%A`) stays as sent; the handler then rejects it like any bad id. */
function decodeParam(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}

export interface Match {
  handler: AuthHandler;
  params: Record<string, string>;
}

/** The handler for a request, or a 404/405 AuthApiError. */
export function matchRoute(method: string, path: string): Match {
  for (const r of ROUTES) {
    const m = r.pattern.exec(path);
    if (!m) continue;
    const handler = r.methods[method === 'HEAD' ? 'GET' : method];
    if (!handler) {
      throw new AuthApiError(
        405,
        'method_not_allowed',
        `Method ${method} is not allowed on ${path}`,
        {},
        {
          Allow: Object.keys(r.methods).join(', '),
        },
      );
    }
    const params: Record<string, string> = {};
    r.params.forEach((name, i) => (params[name] = decodeParam(m[i + 1])));
    return { handler, params };
  }
  throw notFound('not_found', `${method} ${path} is not an endpoint of the local Auth server`);
}
