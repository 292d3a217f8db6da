import Link from 'next/link';
import { ROUTES } from '@/lib/routes';
import type { TSignedInUser } from '@/lib/supabase/session';
import { Logo } from './logo';
import { SignOutButton } from './sign-out-button';

const linkClass =
  'whitespace-nowrap rounded-md px-2 py-1.5 sm:px-3 text-sm font-medium text-slate-700 hover:bg-slate-100 hover:text-slate-900';

/** The top bar: fixed height so pages never jump while the signed-in state renders. */
export function SiteHeader({ user, portalPath }: { user: TSignedInUser | null; portalPath?: string }) {
  return (
    <header className="sticky top-0 z-30 border-b border-slate-200 bg-white/90 backdrop-blur">
      <div className="mx-auto flex h-16 max-w-6xl items-center justify-between gap-2 px-4 sm:gap-4 sm:px-6">
        <Logo />
        <nav aria-label="Account" className="flex items-center gap-1 sm:gap-2">
          {user ? (
            <>
              <Link href={portalPath ?? ROUTES.patient} className={linkClass}>
                My portal
              </Link>
              <SignOutButton />
            </>
          ) : (
            <>
              <Link href={ROUTES.signIn} className={linkClass}>
                Sign in
              </Link>
              <Link
                href={ROUTES.signUp}
                className="whitespace-nowrap rounded-lg bg-brand-600 px-2.5 py-1.5 sm:px-3 text-sm font-semibold text-white shadow-sm hover:bg-brand-700"
              >
                <span className="sm:hidden">Sign up</span>
                <span className="hidden sm:inline">Create account</span>
              </Link>
            </>
          )}
        </nav>
      </div>
    </header>
  );
}
