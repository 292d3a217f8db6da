import { ServiceUnavailable } from '@/components/outage-banner';
import { PortalShell } from '@/components/portal-shell';
import { PatientNav } from '@/components/patient/patient-nav';
import { ConnectionIndicator } from '@/components/realtime/connection-indicator';
import { ROUTES } from '@/lib/routes';
import { checkSignedInUser } from '@/lib/supabase/session';

export default async function PatientLayout({ children }: { children: React.ReactNode }) {
  const user = await checkSignedInUser(ROUTES.patient);
  // Auth cannot be reached: stay here (still signed in, as far as we know) and retry by ourselves.
  if (user === 'unavailable') return <ServiceUnavailable portalName="Patient portal" />;
  return (
    <PortalShell
      portalName="Patient portal"
      user={user}
      headerExtra={
        <span className="hidden sm:block">
          <ConnectionIndicator />
        </span>
      }
    >
      <PatientNav />
      {children}
    </PortalShell>
  );
}
