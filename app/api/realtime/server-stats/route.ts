/**
 * GET /api/realtime/server-stats — server operators only (401 signed out, 403 everyone else, clinic
 * admins included): the realtime server's counters (connections, channels, joins, message rates,
 * delivery latency). They are server-wide — every clinic's traffic added up — so a clinic's admin
 * must not see them; an operator is marked by `app_metadata.ops_role` (see lib/ops/caller.ts).
 */
import { getServerEnv } from '@/lib/env';
import { requireServerOperator, resolveCaller } from '@/lib/ops/caller';
import { errorResponse, jsonResponse, parseQuery, ZNoQuery } from '@/lib/ops/http';
import { readRealtimeStats } from '@/lib/ops/metrics';
import { buildServerStatsReport } from '@/lib/ops/stats';
import { createClient } from '@/lib/supabase/server';

export async function GET(request: Request): Promise<Response> {
  try {
    parseQuery(ZNoQuery, request.url);
    const supabase = await createClient();
    requireServerOperator(await resolveCaller(supabase));
    const env = getServerEnv();
    const report = await buildServerStatsReport({
      // The service-role key stays on this server; it only reads the realtime counters.
      realtime: readRealtimeStats({ supabaseUrl: env.supabaseUrl, serviceRoleKey: env.serviceRoleKey }),
    });
    return jsonResponse(report);
  } catch (error) {
    return errorResponse(error, 'api/realtime/server-stats');
  }
}
