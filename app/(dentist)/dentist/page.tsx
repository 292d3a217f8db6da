import type { Metadata } from 'next';
import { PortalPlaceholder } from '@/components/portal-shell';
import { ROUTES } from '@/lib/routes';
import { requireSignedInUser } from '@/lib/supabase/session';

export const metadata: Metadata = { title: 'Dentist workspace' };

export default async function DentistHomePage() {
  const user = await requireSignedInUser(ROUTES.dentist);
  return (
    <PortalPlaceholder
      user={user}
      lead="This is your workspace. Your schedule and availability appear here soon."
      items={[
        'Today’s appointments, updated live',
        'Weekly hours, date overrides and time off',
        'Confirm, check in, complete or mark no-show',
        'Instant notice of new bookings and cancellations',
      ]}
    />
  );
}
