'use client';

import { useEffect, useState } from 'react';
import { useSupabase } from '@/hooks/use-supabase';
import { listProfileNames } from '@/lib/data/profiles';

/** Ids per request; keeps the query string well under URL limits. */
const MAX_IDS_PER_REQUEST = 100;

/**
 * Display names for profile ids (patients on a calendar, actors in the feed). Realtime payloads carry
 * ids only — names never travel on shared topics — so staff views look them up under RLS (staff may
 * read the profiles of their clinic), once per id.
 */
export function useProfileNames(ids: readonly string[]): Readonly<Record<string, string>> {
  const supabase = useSupabase();
  const [names, setNames] = useState<Readonly<Record<string, string>>>({});
  const [requested] = useState(() => new Set<string>());
  const missingKey = [...new Set(ids)]
    .filter((id) => !(id in names) && !requested.has(id))
    .sort()
    .slice(0, MAX_IDS_PER_REQUEST)
    .join(',');

  useEffect(() => {
    if (!missingKey) return;
    const missing = missingKey.split(',');
    for (const id of missing) requested.add(id);
    void (async () => {
      const rows = await listProfileNames(supabase, missing);
      if (!rows.ok) {
        // A failed request is tried again on the next change; a malformed answer would come back the same.
        if (rows.error.kind === 'request') for (const id of missing) requested.delete(id);
        return;
      }
      // Names are facts, not view state: store them even if the ids changed meanwhile.
      setNames((prev) => ({
        ...prev,
        ...Object.fromEntries(rows.data.map((row) => [row.id, row.display_name])),
      }));
    })();
  }, [missingKey, requested, supabase]);

  return names;
}
