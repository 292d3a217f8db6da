import type { Metadata } from 'next';
import { BookingFlow } from '@/components/patient/booking-flow';
import { ContextProblem } from '@/components/patient/context-problem';
import { requireSignedInUser } from '@/lib/supabase/session';
import { loadPatientContext } from '../load-patient-context';

export const metadata: Metadata = { title: 'Book an appointment' };

export default async function BookPage() {
  const user = await requireSignedInUser('/patient/book');
  const result = await loadPatientContext(user.id);
  return (
    <div className="grid gap-6">
      <div>
        <h1 className="text-2xl font-semibold tracking-tight sm:text-3xl">Book an appointment</h1>
        {result.ok ? <p className="mt-2 text-slate-600">{result.context.clinic.name}</p> : null}
      </div>
      {result.ok ? <BookingFlow context={result.context} /> : <ContextProblem reason={result.reason} />}
    </div>
  );
}
