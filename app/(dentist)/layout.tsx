import { PortalShell } from '@/components/portal-shell';
import { ROUTES } from '@/lib/routes';
import { requireSignedInUser } from '@/lib/supabase/session';

export default async function DentistLayout({ children }: { children: React.ReactNode }) {
  const user = await requireSignedInUser(ROUTES.dentist);
  return (
    <PortalShell portalName="Dentist workspace" user={user}>
      {children}
    </PortalShell>
  );
}
