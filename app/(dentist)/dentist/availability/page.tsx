import type { Metadata } from 'next';
import { DateExceptions, type TOverrideRow, type TTimeOffRow } from '@/components/dentist/date-exceptions';
import { WeeklyHoursEditor } from '@/components/dentist/weekly-hours-editor';
import type { TRuleRow } from '@/components/dentist/availability-model';
import { createClient } from '@/lib/supabase/server';
import { loadWorkspaceContext } from '../load-workspace';

export const metadata: Metadata = { title: 'Availability' };

export default async function AvailabilityPage() {
  const context = await loadWorkspaceContext();
  if (!context) return null;
  const supabase = await createClient();
  const dentistId = context.dentist.id;
  const [rules, overrides, timeOff] = await Promise.all([
    supabase
      .from('availability_rules')
      .select('id, weekday, start_time, end_time')
      .eq('dentist_id', dentistId)
      .order('weekday')
      .order('start_time'),
    supabase
      .from('availability_overrides')
      .select('id, on_date, start_time, end_time, note')
      .eq('dentist_id', dentistId)
      .gte('on_date', context.today)
      .order('on_date')
      .order('start_time'),
    supabase
      .from('time_off')
      .select('id, starts_local, ends_local, reason')
      .eq('dentist_id', dentistId)
      .gte('ends_local', `${context.today}T00:00:00`)
      .order('starts_local'),
  ]);
  if (rules.error || overrides.error || timeOff.error) throw new Error('Could not load your availability.');
  const ruleRows = (rules.data ?? []) as TRuleRow[];
  const overrideRows = (overrides.data ?? []) as TOverrideRow[];
  // Remount the editor whenever the saved rules change, so a fresh draft starts from them.
  const rulesKey = ruleRows.map((r) => `${r.id}:${r.start_time}-${r.end_time}`).join('|');

  return (
    <div className="grid gap-6">
      <div>
        <h1 className="text-2xl font-semibold tracking-tight">Availability</h1>
        <p className="mt-1 text-slate-600">
          When patients can book {context.dentist.display_name} at {context.clinic.name}.
        </p>
      </div>
      <WeeklyHoursEditor
        key={rulesKey}
        clinicId={context.clinic.id}
        dentistId={dentistId}
        timeZone={context.clinic.timezone}
        rules={ruleRows}
        overrideDates={[...new Set(overrideRows.map((o) => o.on_date))]}
      />
      <DateExceptions
        clinicId={context.clinic.id}
        dentistId={dentistId}
        timeZone={context.clinic.timezone}
        today={context.today}
        overrides={overrideRows}
        timeOff={(timeOff.data ?? []) as TTimeOffRow[]}
      />
    </div>
  );
}
