/**
 * GET /api/realtime/status — for any signed-in user: their role, the Realtime topics they may join
 * and the newest event per topic they can see. 401 when signed out.
 */
import { resolveCaller } from '@/lib/ops/caller';
import { errorResponse, jsonResponse, parseQuery, ZNoQuery } from '@/lib/ops/http';
import { buildStatusReport } from '@/lib/ops/status';
import { createClient } from '@/lib/supabase/server';

export async function GET(request: Request): Promise<Response> {
  try {
    parseQuery(ZNoQuery, request.url);
    const supabase = await createClient();
    const caller = await resolveCaller(supabase);
    return jsonResponse(await buildStatusReport(supabase, caller));
  } catch (error) {
    return errorResponse(error, 'api/realtime/status');
  }
}
