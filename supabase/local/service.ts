/**
 * The contract between the gateway and the API services (auth/, rest/, realtime/).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Pool } from './db';
import type { JwtCodec } from './jwt';

export interface StackSettings {
  apiUrl: string;
  dbUrl: string;
  jwtSecret: string;
  anonKey: string;
  serviceRoleKey: string;
  /** Access-token lifetime in seconds (GoTrue default 3600). */
  jwtExpiry: number;
}

export interface ServiceContext {
  pool: Pool;
  jwt: JwtCodec;
  settings: StackSettings;
  log: (line: string) => void;
}

export interface HttpService {
  /** `path` is the request path with the service prefix removed (e.g. `/token` for `/auth/v1/token`). */
  handle(req: IncomingMessage, res: ServerResponse, path: string, url: URL): Promise<void>;
  /** Called once after migrations, before the gateway accepts requests. */
  start?(): Promise<void>;
  close?(): Promise<void>;
}

export interface UpgradeService extends HttpService {
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer, path: string, url: URL): void;
}
