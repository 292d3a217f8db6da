import type { Metadata } from 'next';
import Link from 'next/link';
import { ContextProblem } from '@/components/patient/context-problem';
import { MyAppointments } from '@/components/patient/my-appointments';
import { requireSignedInUser } from '@/lib/supabase/session';
import { loadPatientContext } from '../load-patient-context';

export const metadata: Metadata = { title: 'My appointments' };

export default async function AppointmentsPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const user = await requireSignedInUser('/patient/appointments');
  const [result, params] = await Promise.all([loadPatientContext(user.id), searchParams]);
  const booked = typeof params.booked === 'string' ? params.booked : null;
  return (
    <div className="grid gap-6">
      <div className="flex flex-wrap items-end justify-between gap-4">
        <h1 className="text-2xl font-semibold tracking-tight sm:text-3xl">My appointments</h1>
        <Link
          href="/patient/book"
          className="rounded-lg bg-brand-600 px-4 py-2.5 text-sm font-semibold text-white shadow-sm hover:bg-brand-700"
        >
          Book an appointment
        </Link>
      </div>
      {result.ok ? (
        <MyAppointments context={result.context} highlightId={booked} />
      ) : (
        <ContextProblem reason={result.reason} />
      )}
    </div>
  );
}
