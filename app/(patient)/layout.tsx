import { PortalShell } from '@/components/portal-shell';
import { ROUTES } from '@/lib/routes';
import { requireSignedInUser } from '@/lib/supabase/session';

export default async function PatientLayout({ children }: { children: React.ReactNode }) {
  const user = await requireSignedInUser(ROUTES.patient);
  return (
    <PortalShell portalName="Patient portal" user={user}>
      {children}
    </PortalShell>
  );
}
