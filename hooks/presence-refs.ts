/**
 * Keeps realtime-js's presence state able to match leaves.
 *
 * realtime-js 2.109 builds the payloads of its presence `join`/`leave` events by rewriting meta objects
 * in place (`phx_ref` → `presence_ref`), and the metas it rewrites are the ones held in the channel's
 * live presence state (supabase/supabase-js#2565, fixed upstream from 2.111). A meta that lost its
 * `phx_ref` never matches a later leave, so:
 *  - every presence update (a re-track: one diff with the new meta's join and the old one's leave)
 *    leaves the old meta behind — a colleague who changes the board's day shows up as "2 tabs";
 *  - after any join or leave on a key, the key's other metas can no longer leave — a closed tab
 *    stays "Online now" on every other board until it reloads.
 * The server side is right (the leave carries the old ref); the client loses it. The fix upstream
 * is to build the payloads from copies; this does the same from outside by handing the payload
 * builders copies of the current presence. Remove it when the pinned supabase-js includes the fix
 * (a no-op there anyway: copies of copies).
 */
import type { RealtimeChannel } from '@supabase/supabase-js';

type TPresenceCallback = (key: string, current: unknown, changed: unknown) => void;
type TPresenceCaller = { onJoin?: unknown; onLeave?: unknown; [GUARDED]?: true };

const GUARDED = Symbol('chairtime.presenceRefsGuarded');

/** The phoenix Presence behind a realtime-js channel (2.10x layout), if it is where we expect it. */
function presenceCallerOf(channel: RealtimeChannel): TPresenceCaller | null {
  const presence: unknown = (
    channel as unknown as { presence?: { presenceAdapter?: { presence?: unknown } } }
  ).presence?.presenceAdapter?.presence;
  const caller = (presence as { caller?: unknown } | undefined)?.caller;
  return typeof caller === 'object' && caller !== null ? (caller as TPresenceCaller) : null;
}

function copyOf(value: unknown): unknown {
  return value === undefined ? undefined : structuredClone(value);
}

/**
 * Makes `channel`'s presence join/leave payloads be built from copies, so its presence state keeps
 * the refs that later leaves match. Safe to call more than once; returns whether it applied (false
 * when the library's internals moved, e.g. after an upgrade that fixed the bug).
 */
export function preservePresenceRefs(channel: RealtimeChannel): boolean {
  const caller = presenceCallerOf(channel);
  if (!caller || typeof caller.onJoin !== 'function' || typeof caller.onLeave !== 'function') return false;
  if (caller[GUARDED]) return true;
  const onJoin = caller.onJoin as TPresenceCallback;
  const onLeave = caller.onLeave as TPresenceCallback;
  caller.onJoin = (key: string, current: unknown, joined: unknown) => onJoin(key, copyOf(current), joined);
  caller.onLeave = (key: string, current: unknown, left: unknown) => onLeave(key, copyOf(current), left);
  caller[GUARDED] = true;
  return true;
}
