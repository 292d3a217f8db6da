import { PortalShell } from '@/components/portal-shell';
import { ROUTES } from '@/lib/routes';
import { requireSignedInUser } from '@/lib/supabase/session';

export default async function AdminLayout({ children }: { children: React.ReactNode }) {
  const user = await requireSignedInUser(ROUTES.admin);
  return (
    <PortalShell portalName="Admin live board" user={user}>
      {children}
    </PortalShell>
  );
}
