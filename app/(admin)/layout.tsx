import { redirect } from 'next/navigation';
import { AccessDenied } from '@/components/dentist/access-denied';
import { ServiceUnavailable } from '@/components/outage-banner';
import { PortalShell } from '@/components/portal-shell';
import { ConnectionIndicator } from '@/components/realtime/connection-indicator';
import { ROUTES, signInPathFor } from '@/lib/routes';
import { checkSignedInUser, getMemberState } from '@/lib/supabase/session';

/** Only clinic admins (front desk included) see the board; everyone else gets the 403 page. */
export default async function AdminLayout({ children }: { children: React.ReactNode }) {
  const user = await checkSignedInUser(ROUTES.admin);
  const member = user === 'unavailable' ? user : await getMemberState();
  // Auth or the database cannot be reached: stay here and retry, never "signed out".
  if (user === 'unavailable' || member === 'unavailable')
    return <ServiceUnavailable portalName="Admin live board" />;
  if (!member) redirect(signInPathFor(ROUTES.admin));
  const isAdmin = member.role === 'admin' && member.clinicId !== null;
  return (
    <PortalShell
      portalName="Admin live board"
      user={user}
      headerExtra={<ConnectionIndicator className="hidden sm:inline-flex" />}
    >
      {isAdmin ? children : <AccessDenied area="clinic admins and the front desk" role={member.role} />}
    </PortalShell>
  );
}
