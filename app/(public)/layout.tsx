import Link from 'next/link';
import { Suspense } from 'react';
import { ChatbotWidget } from '@/components/chatbot/chatbot-widget';
import { NoticeToast } from '@/components/notice-toast';
import { SiteHeader } from '@/components/site-header';
import { ROUTES } from '@/lib/routes';
import { getPortalPath, getSignedInUser } from '@/lib/supabase/session';

export default async function PublicLayout({ children }: { children: React.ReactNode }) {
  const user = await getSignedInUser();
  const portalPath = user ? await getPortalPath(user.id) : undefined;
  return (
    <div className="flex min-h-dvh flex-col">
      <SiteHeader user={user} portalPath={portalPath} />
      <main id="main" className="flex-1">
        {children}
      </main>
      <footer className="border-t border-slate-200 bg-white">
        <div className="mx-auto flex max-w-6xl flex-col gap-2 px-4 py-6 text-sm text-slate-500 sm:flex-row sm:items-center sm:justify-between sm:px-6">
          <p>Chairtime — realtime scheduling for dental clinics, built on Supabase.</p>
          <nav aria-label="Footer" className="flex gap-4">
            <Link href={ROUTES.signIn} className="hover:text-slate-800">
              Sign in
            </Link>
            <Link href={ROUTES.signUp} className="hover:text-slate-800">
              Create account
            </Link>
          </nav>
        </div>
      </footer>
      <Suspense fallback={null}>
        <NoticeToast />
      </Suspense>
      {/* The booking assistant floats over every public page. */}
      <Suspense fallback={null}>
        <ChatbotWidget />
      </Suspense>
    </div>
  );
}
