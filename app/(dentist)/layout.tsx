import { redirect } from 'next/navigation';
import { AccessDenied } from '@/components/dentist/access-denied';
import { WorkspaceNav } from '@/components/dentist/workspace-nav';
import { ServiceUnavailable } from '@/components/outage-banner';
import { PortalShell } from '@/components/portal-shell';
import { ConnectionIndicator } from '@/components/realtime/connection-indicator';
import { ROUTES, signInPathFor } from '@/lib/routes';
import { checkSignedInUser, getMemberState } from '@/lib/supabase/session';

const DENTIST_NAV = [
  { href: ROUTES.dentist, label: 'My schedule' },
  { href: `${ROUTES.dentist}/availability`, label: 'Availability' },
] as const;

/** Only dentists (with a dentists row in their clinic) get the workspace; everyone else a 403 page. */
export default async function DentistLayout({ children }: { children: React.ReactNode }) {
  const user = await checkSignedInUser(ROUTES.dentist);
  const member = user === 'unavailable' ? user : await getMemberState();
  // Auth or the database cannot be reached: stay here and retry, never "signed out".
  if (user === 'unavailable' || member === 'unavailable')
    return <ServiceUnavailable portalName="Dentist workspace" />;
  if (!member) redirect(signInPathFor(ROUTES.dentist));
  const isDentist = member.role === 'dentist' && member.dentistId !== null && member.clinicId !== null;
  return (
    <PortalShell
      portalName="Dentist workspace"
      user={user}
      headerExtra={<ConnectionIndicator className="hidden sm:inline-flex" />}
    >
      {isDentist ? (
        <>
          <WorkspaceNav label="Workspace" items={DENTIST_NAV} />
          {children}
        </>
      ) : (
        <AccessDenied area="dentists" role={member.role} />
      )}
    </PortalShell>
  );
}
