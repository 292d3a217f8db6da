/**
 * What a staff member is doing, as carried in their presence `activity` string on the clinic staff
 * topic: readable text, plus — while an appointment is open — a machine-readable tag naming it, so
 * other staff see a soft-lock marker ("Sam is editing this"). Presence is the right carrier: it
 * disappears by itself when the tab closes or the connection drops, so a lock can never be left
 * behind (a broadcast claim would need its own expiry).
 *
 *   "Board · Tue 24 Nov"                                   just looking at the board
 *   "Board · Tue 24 Nov ⟦editing:5b0e…-uuid⟧"             has that appointment open in edit mode
 */
import { MAX_ACTIVITY_LENGTH } from '@/hooks/use-presence';

export const LOCK_MODES = ['viewing', 'editing'] as const;
export type TLockMode = (typeof LOCK_MODES)[number];

export type TActivity = { text: string; appointmentId: string | null; mode: TLockMode | null };

const TAG_RE = /\s*⟦(viewing|editing):([0-9a-f-]{36})⟧\s*$/i;

export function encodeActivity(activity: TActivity): string {
  if (!activity.appointmentId || !activity.mode) return activity.text.slice(0, MAX_ACTIVITY_LENGTH);
  const tag = ` ⟦${activity.mode}:${activity.appointmentId}⟧`;
  return `${activity.text.slice(0, MAX_ACTIVITY_LENGTH - tag.length)}${tag}`;
}

export function decodeActivity(raw: string): TActivity {
  const match = TAG_RE.exec(raw);
  if (!match) return { text: raw, appointmentId: null, mode: null };
  return {
    text: raw.slice(0, match.index),
    appointmentId: match[2].toLowerCase(),
    mode: match[1].toLowerCase() as TLockMode,
  };
}
