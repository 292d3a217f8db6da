import type { Metadata } from 'next';
import { DentistSchedule } from '@/components/dentist/dentist-schedule';
import { parseDateParam } from '@/components/dentist/staff-format';
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
  const { data: profile } = await supabase
    .from('profiles')
    .select('display_name')
    .eq('id', context.userId)
    .maybeSingle();
  const name =
    typeof profile?.display_name === 'string' ? profile.display_name : context.dentist.display_name;
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
