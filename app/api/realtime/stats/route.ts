/**
 * GET /api/realtime/stats — clinic admins only (401 signed out, 403 other roles): the admin's own
 * clinic's booking activity. Server-wide realtime counters are not here: they add up every clinic
 * and belong to server operators (GET /api/realtime/server-stats).
 */
import { requireClinicAdmin, resolveCaller } from '@/lib/ops/caller';
import { errorResponse, jsonResponse, parseQuery, ZNoQuery } from '@/lib/ops/http';
import { buildStatsReport } from '@/lib/ops/stats';
import { createClient } from '@/lib/supabase/server';

export async function GET(request: Request): Promise<Response> {
  try {
    parseQuery(ZNoQuery, request.url);
    const supabase = await createClient();
    const admin = requireClinicAdmin(await resolveCaller(supabase));
    return jsonResponse(await buildStatsReport({ supabase, clinicId: admin.clinicId }));
  } catch (error) {
    return errorResponse(error, 'api/realtime/stats');
  }
}
