/**
 * Presence state of one topic, Phoenix.Presence style: each tracking channel contributes one meta
 * under its presence key; several channels may share a key (a user's tabs), so a key maps to a list of
 * metas. Every meta carries an opaque `phx_ref`; an update replaces the meta and links the old ref as
 * `phx_ref_prev`, and is reported as a join of the new meta plus a leave of the old one.
 */
import { randomBytes } from 'node:crypto';

export type PresenceMeta = Record<string, unknown> & { phx_ref: string; phx_ref_prev?: string };
export type PresenceMap = Record<string, { metas: PresenceMeta[] }>;
export interface PresenceDiff {
  joins: PresenceMap;
  leaves: PresenceMap;
}

// Refs only need to be unique per server run; a random prefix keeps them distinct across restarts.
const REF_PREFIX = randomBytes(3).toString('base64url');
let refCounter = 0;
export const nextPresenceRef = (): string => `${REF_PREFIX}${(++refCounter).toString(36)}`;

export class TopicPresence<Owner> {
  private readonly byKey = new Map<string, Map<Owner, PresenceMeta>>();

  get isEmpty(): boolean {
    return this.byKey.size === 0;
  }

  /** Adds or replaces `owner`'s meta under `key`; returns the diff to broadcast. */
  track(owner: Owner, key: string, payload: Record<string, unknown>): PresenceDiff {
    let metas = this.byKey.get(key);
    if (!metas) this.byKey.set(key, (metas = new Map()));
    const previous = metas.get(owner);
    const meta: PresenceMeta = { ...payload, phx_ref: nextPresenceRef() };
    if (previous) meta.phx_ref_prev = previous.phx_ref;
    metas.set(owner, meta);
    return {
      joins: { [key]: { metas: [meta] } },
      leaves: previous ? { [key]: { metas: [previous] } } : {},
    };
  }

  /** Removes `owner`'s meta; null when it had none. */
  untrack(owner: Owner, key: string): PresenceDiff | null {
    const metas = this.byKey.get(key);
    const previous = metas?.get(owner);
    if (!metas || !previous) return null;
    metas.delete(owner);
    if (metas.size === 0) this.byKey.delete(key);
    return { joins: {}, leaves: { [key]: { metas: [previous] } } };
  }

  /** The full map sent as `presence_state`. */
  state(): PresenceMap {
    const out: PresenceMap = {};
    for (const [key, metas] of this.byKey) out[key] = { metas: [...metas.values()] };
    return out;
  }
}
