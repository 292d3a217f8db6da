/**
 * GET /api/realtime/health — public liveness of the database and Realtime for load balancers and
 * monitors. 200 when every check is ok or warning, 503 when any is an error. Nothing about users.
 */
import { publicEnv } from '@/lib/env';
import { healthHttpStatus, runHealthChecks, shareInFlight } from '@/lib/ops/health';
import { errorResponse, jsonResponse, parseQuery, ZNoQuery } from '@/lib/ops/http';
import { APP_VERSION } from '@/lib/ops/version';

const probe = shareInFlight(() =>
  runHealthChecks({
    supabaseUrl: publicEnv.supabaseUrl,
    apiKey: publicEnv.supabaseKey,
    version: APP_VERSION,
  }),
);

export async function GET(request: Request): Promise<Response> {
  try {
    parseQuery(ZNoQuery, request.url);
    const report = await probe();
    return jsonResponse(report, healthHttpStatus(report));
  } catch (error) {
    return errorResponse(error, 'api/realtime/health');
  }
}
