import type { Metadata } from 'next';
import { DentistSchedule } from '@/components/dentist/dentist-schedule';
import { parseDateParam } from '@/components/dentist/staff-format';
import { getProfile } from '@/lib/data/profiles';
import { createClient } from '@/lib/supabase/server';
import { loadWorkspaceContext } from './load-workspace';

export const metadata: Metadata = { title: 'Dentist workspace' };

export default async function DentistSchedulePage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const context = await loadWorkspaceContext();
  if (!context) return null;
  const params = await searchParams;
  const date = parseDateParam(params.date) ?? context.today;
  const view = params.view === 'week' ? 'week' : 'day';
  const supabase = await createClient();
  const profile = await getProfile(supabase, context.userId);
  const name = (profile.ok ? profile.data?.display_name : undefined) ?? context.dentist.display_name;
  return (
    <DentistSchedule
      viewer={{ userId: context.userId, email: context.email, name }}
      clinic={context.clinic}
      dentist={context.dentist}
      services={context.services}
      date={date}
      view={view}
      today={context.today}
    />
  );
}
