/** Placeholder until the rest service lands: answers 501 so the gateway is complete. */
import { sendJson } from '../http';
import type { HttpService, ServiceContext } from '../service';

export function createRestService(_ctx: ServiceContext): HttpService {
  return {
    async handle(_req, res) {
      sendJson(res, 501, { message: 'rest API not implemented yet' });
    },
  };
}
