'use client';

import { useRouter } from 'next/navigation';
import { useBackendRecovery } from '@/hooks/use-backend-recovery';
import { Logo } from './logo';

/**
 * Shown instead of a portal page while Auth or the database cannot be reached. The visitor stays
 * where they are (still signed in, as far as anyone knows); the banner re-checks the backend with
 * back-off and re-renders the page from the server as soon as it answers (`onReachable`, by
 * default router.refresh()).
 */
export function OutageBanner({ onReachable }: { onReachable?: () => void }) {
  const router = useRouter();
  useBackendRecovery(true, onReachable ?? (() => router.refresh()));
  return (
    <div
      role="alert"
      data-testid="outage-banner"
      className="border-b border-amber-300 bg-amber-50 px-4 py-3 text-sm text-amber-900"
    >
      <p className="mx-auto max-w-6xl">
        <span className="font-semibold">We can’t reach the clinic’s server right now.</span> You are still
        signed in. This page updates by itself as soon as the connection is back.
      </p>
    </div>
  );
}

/** The page's own message while its data cannot load. */
export function UnavailableNotice() {
  return (
    <div className="text-center">
      <h1 className="text-2xl font-semibold tracking-tight">Service unavailable</h1>
      <p className="mt-2 text-slate-600" aria-live="polite">
        The page can’t load its data right now. Retrying automatically…
      </p>
    </div>
  );
}

/** A portal frame for the outage: the banner, and a clear "unavailable, retrying" state for the page. */
export function ServiceUnavailable({ portalName }: { portalName: string }) {
  return (
    <div className="flex min-h-dvh flex-col">
      <header className="sticky top-0 z-30 border-b border-slate-200 bg-white/90 backdrop-blur">
        <div className="mx-auto flex h-16 max-w-6xl items-center gap-3 px-4 sm:px-6">
          <Logo />
          <span className="hidden rounded-full bg-brand-50 px-2.5 py-0.5 text-xs font-medium text-brand-700 sm:inline">
            {portalName}
          </span>
        </div>
      </header>
      <OutageBanner />
      <main id="main" className="mx-auto grid w-full max-w-6xl flex-1 place-items-center px-4 py-8 sm:px-6">
        <UnavailableNotice />
      </main>
    </div>
  );
}
