import type { Metadata } from 'next';
import Link from 'next/link';
import { ContextProblem } from '@/components/patient/context-problem';
import { MyAppointments } from '@/components/patient/my-appointments';
import { ROUTES } from '@/lib/routes';
import { requireSignedInUser } from '@/lib/supabase/session';
import { loadPatientContext } from './load-patient-context';

export const metadata: Metadata = { title: 'Patient portal' };

/** How many upcoming visits the overview lists before linking to the full list. */
const OVERVIEW_UPCOMING = 3;

export default async function PatientHomePage() {
  const user = await requireSignedInUser(ROUTES.patient);
  const result = await loadPatientContext(user.id);
  return (
    <div className="grid gap-8">
      <div className="flex flex-wrap items-end justify-between gap-4">
        <div className="min-w-0">
          <h1 className="text-2xl font-semibold tracking-tight break-words sm:text-3xl">
            Welcome, {user.email}
          </h1>
          <p className="mt-2 max-w-2xl text-slate-600">
            {result.ok
              ? `Book, move or cancel your visits at ${result.context.clinic.name}. Changes show up here live.`
              : 'Your patient portal.'}
          </p>
        </div>
        <Link
          href="/patient/book"
          className="rounded-lg bg-brand-600 px-4 py-2.5 text-sm font-semibold text-white shadow-sm hover:bg-brand-700"
        >
          Book an appointment
        </Link>
      </div>
      {result.ok ? (
        <MyAppointments context={result.context} limit={OVERVIEW_UPCOMING} />
      ) : (
        <ContextProblem reason={result.reason} />
      )}
    </div>
  );
}
