/**
 * GET /api/realtime/stats — clinic admins only (401 signed out, 403 other roles): realtime server
 * figures and the clinic's booking activity, for the admin live board.
 */
import { getServerEnv } from '@/lib/env';
import { requireClinicAdmin, resolveCaller } from '@/lib/ops/caller';
import { errorResponse, jsonResponse, parseQuery, ZNoQuery } from '@/lib/ops/http';
import { readRealtimeStats } from '@/lib/ops/metrics';
import { buildStatsReport } from '@/lib/ops/stats';
import { createClient } from '@/lib/supabase/server';

export async function GET(request: Request): Promise<Response> {
  try {
    parseQuery(ZNoQuery, request.url);
    const supabase = await createClient();
    const admin = requireClinicAdmin(await resolveCaller(supabase));
    const env = getServerEnv();
    const report = await buildStatsReport({
      supabase,
      clinicId: admin.clinicId,
      // The service-role key stays on this server; it only reads the realtime counters.
      realtime: readRealtimeStats({ supabaseUrl: env.supabaseUrl, serviceRoleKey: env.serviceRoleKey }),
    });
    return jsonResponse(report);
  } catch (error) {
    return errorResponse(error, 'api/realtime/stats');
  }
}
