/** Members: profiles (names, roles, clinics) and current_member(), the function RLS decides through. */
import { z } from 'zod';
import { MEMBER_ROLES, RPC } from '@/lib/domain/appointments';
import { toResult, type TDataResult, type TDb } from './result';

const ZProfile = z.object({
  id: z.string(),
  role: z.enum(MEMBER_ROLES),
  display_name: z.string(),
  clinic_id: z.string().nullable(),
});
export type TProfileRow = z.infer<typeof ZProfile>;

/** One profile (null when missing or hidden by RLS: users read their own, staff their clinic's). */
export async function getProfile(db: TDb, userId: string): Promise<TDataResult<TProfileRow | null>> {
  return toResult(
    await db.from('profiles').select('id, role, display_name, clinic_id').eq('id', userId).maybeSingle(),
    ZProfile.nullable(),
  );
}

const ZProfileName = z.object({ id: z.string(), display_name: z.string() });
export type TProfileName = z.infer<typeof ZProfileName>;

/** Display names for profile ids (callers keep each request's id list short). */
export async function listProfileNames(
  db: TDb,
  ids: readonly string[],
): Promise<TDataResult<TProfileName[]>> {
  return toResult(
    await db
      .from('profiles')
      .select('id, display_name')
      .in('id', [...ids]),
    z.array(ZProfileName),
  );
}

const ZMember = z.object({
  user_id: z.string(),
  role: z.enum(MEMBER_ROLES),
  clinic_id: z.string().nullable(),
  dentist_id: z.string().nullable(),
});
export type TMemberRow = z.infer<typeof ZMember>;

/** current_member(): the caller's role, clinic and dentist id; null when signed out or without a profile. */
export async function fetchCurrentMember(db: TDb): Promise<TDataResult<TMemberRow | null>> {
  const result = toResult(await db.rpc(RPC.currentMember), z.array(ZMember));
  return result.ok ? { ok: true, data: result.data[0] ?? null } : result;
}
