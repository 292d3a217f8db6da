'use client';

import { useEffect, useState } from 'react';
import { z } from 'zod';
import { useSupabase } from '@/hooks/use-supabase';

const ZProfileName = z.object({ id: z.string(), display_name: z.string() });
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
      const { data, error } = await supabase.from('profiles').select('id, display_name').in('id', missing);
      if (error) {
        for (const id of missing) requested.delete(id); // try again on the next change
        return;
      }
      const rows = z.array(ZProfileName).safeParse(data ?? []);
      // Names are facts, not view state: store them even if the ids changed meanwhile.
      if (!rows.success) return;
      setNames((prev) => ({
        ...prev,
        ...Object.fromEntries(rows.data.map((row) => [row.id, row.display_name])),
      }));
    })();
  }, [missingKey, requested, supabase]);

  return names;
}
