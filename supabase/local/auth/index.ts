/** Placeholder until the auth service lands: answers 501 so the gateway is complete. */
import { sendJson } from '../http';
import type { HttpService, ServiceContext } from '../service';

export function createAuthService(_ctx: ServiceContext): HttpService {
  return {
    async handle(_req, res) {
      sendJson(res, 501, { message: 'auth API not implemented yet' });
    },
  };
}
