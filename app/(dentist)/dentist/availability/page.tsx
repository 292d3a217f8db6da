import type { Metadata } from 'next';
import { DateExceptions, type TOverrideRow } from '@/components/dentist/date-exceptions';
import { WeeklyHoursEditor } from '@/components/dentist/weekly-hours-editor';
import type { TRuleRow } from '@/components/dentist/availability-model';
import { listOverrides, listTimeOff, listWeeklyRules } from '@/lib/data/availability';
import { createClient } from '@/lib/supabase/server';
import { loadWorkspaceContext } from '../load-workspace';

export const metadata: Metadata = { title: 'Availability' };

export default async function AvailabilityPage() {
  const context = await loadWorkspaceContext();
  if (!context) return null;
  const supabase = await createClient();
  const dentistId = context.dentist.id;
  const [rules, overrides, timeOff] = await Promise.all([
    listWeeklyRules(supabase, dentistId),
    listOverrides(supabase, dentistId, { from: context.today }),
    listTimeOff(supabase, dentistId, context.today),
  ]);
  if (!rules.ok || !overrides.ok || !timeOff.ok) throw new Error('Could not load your availability.');
  const ruleRows: TRuleRow[] = rules.data;
  const overrideRows: TOverrideRow[] = overrides.data;
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
        timeOff={timeOff.data}
      />
    </div>
  );
}
