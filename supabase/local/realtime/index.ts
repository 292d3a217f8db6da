/** Placeholder until the realtime service lands. */
import { sendJson } from '../http';
import type { ServiceContext, UpgradeService } from '../service';

export function createRealtimeService(_ctx: ServiceContext): UpgradeService {
  return {
    async handle(_req, res) {
      sendJson(res, 501, { message: 'realtime API not implemented yet' });
    },
    handleUpgrade(_req, socket) {
      socket.end('HTTP/1.1 501 Not Implemented\r\nContent-Length: 0\r\n\r\n');
    },
  };
}
