/**
 * The `Prefer` header (RFC 7240 as PostgREST reads it). supabase-js appends several values, so the
 * server sees one comma-separated list.
 */

export interface Preferences {
  return?: 'minimal' | 'representation' | 'headers-only';
  count?: 'exact' | 'planned' | 'estimated';
  resolution?: 'merge-duplicates' | 'ignore-duplicates';
  missing?: 'default' | 'null';
  tx?: 'commit' | 'rollback';
  handling?: 'strict' | 'lenient';
  maxAffected?: number;
}

const ALLOWED: Record<string, readonly string[]> = {
  return: ['minimal', 'representation', 'headers-only'],
  count: ['exact', 'planned', 'estimated'],
  resolution: ['merge-duplicates', 'ignore-duplicates'],
  missing: ['default', 'null'],
  tx: ['commit', 'rollback'],
  handling: ['strict', 'lenient'],
};

/** Unknown or malformed preferences are ignored (lenient handling), as PostgREST does by default. */
export function parsePrefer(header: string | undefined): Preferences {
  const prefs: Record<string, string | number> = {};
  if (!header) return prefs;
  for (const part of header.split(',')) {
    const [rawKey, ...rest] = part.split('=');
    const key = rawKey.trim().toLowerCase();
    const value = rest.join('=').trim();
    if (key === 'max-affected') {
      if (/^\d+$/.test(value)) prefs.maxAffected = Number(value);
    } else if (ALLOWED[key]?.includes(value)) prefs[key] = value;
  }
  return prefs as Preferences;
}

/** The `Preference-Applied` value for the preferences that were honoured. */
export function appliedPreferences(p: Preferences, honoured: (keyof Preferences)[]): string | undefined {
  const out: string[] = [];
  for (const k of honoured) {
    const v = p[k];
    if (v === undefined) continue;
    out.push(k === 'maxAffected' ? `max-affected=${v}` : `${k}=${v}`);
  }
  return out.length ? out.join(', ') : undefined;
}
