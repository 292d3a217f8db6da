import type { Metadata } from 'next';
import { PortalPlaceholder } from '@/components/portal-shell';
import { ROUTES } from '@/lib/routes';
import { requireSignedInUser } from '@/lib/supabase/session';

export const metadata: Metadata = { title: 'Admin live board' };

export default async function AdminHomePage() {
  const user = await requireSignedInUser(ROUTES.admin);
  return (
    <PortalPlaceholder
      user={user}
      lead="This is the clinic’s live board. Every chair’s day appears here soon."
      items={[
        'Every dentist’s day on one board',
        'Act on any appointment',
        'Who on the team is online, and where',
        'The clinic’s activity feed',
      ]}
    />
  );
}
