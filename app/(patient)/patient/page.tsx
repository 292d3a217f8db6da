import type { Metadata } from 'next';
import { PortalPlaceholder } from '@/components/portal-shell';
import { ROUTES } from '@/lib/routes';
import { requireSignedInUser } from '@/lib/supabase/session';

export const metadata: Metadata = { title: 'Patient portal' };

export default async function PatientHomePage() {
  const user = await requireSignedInUser(ROUTES.patient);
  return (
    <PortalPlaceholder
      user={user}
      lead="This is your patient portal. Booking opens here soon."
      items={[
        'Find a free time with the dentist you want',
        'Hold a slot while you confirm',
        'Reschedule or cancel in two clicks',
        'Live status of your upcoming visits',
      ]}
    />
  );
}
