import { PortalShell } from '@/components/portal-shell';
import { PatientNav } from '@/components/patient/patient-nav';
import { ConnectionIndicator } from '@/components/realtime/connection-indicator';
import { ROUTES } from '@/lib/routes';
import { requireSignedInUser } from '@/lib/supabase/session';

export default async function PatientLayout({ children }: { children: React.ReactNode }) {
  const user = await requireSignedInUser(ROUTES.patient);
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
