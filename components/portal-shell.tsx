import { Suspense } from 'react';
import type { TSignedInUser } from '@/lib/supabase/session';
import { Logo } from './logo';
import { NoticeToast } from './notice-toast';
import { MembershipWatcher } from './realtime/membership-watcher';
import { SignOutButton } from './sign-out-button';

interface PortalShellProps {
  /** Which portal this is ("Patient portal"), shown next to the logo. */
  portalName: string;
  user: TSignedInUser;
  /** Extra header content before the account (e.g. the realtime connection indicator). */
  headerExtra?: React.ReactNode;
  children: React.ReactNode;
}

/** Frame of every signed-in area: who is signed in, where they are, and a way out. */
export function PortalShell({ portalName, user, headerExtra, children }: PortalShellProps) {
  return (
    <div className="flex min-h-dvh flex-col">
      <header className="sticky top-0 z-30 border-b border-slate-200 bg-white/90 backdrop-blur">
        <div className="mx-auto flex h-16 max-w-6xl items-center justify-between gap-4 px-4 sm:px-6">
          <div className="flex min-w-0 items-center gap-3">
            <Logo />
            <span className="hidden rounded-full bg-brand-50 px-2.5 py-0.5 text-xs font-medium text-brand-700 sm:inline">
              {portalName}
            </span>
          </div>
          <div className="flex min-w-0 items-center gap-3">
            {headerExtra}
            <span className="hidden truncate text-sm text-slate-600 md:inline" title={user.email}>
              {user.email}
            </span>
            <SignOutButton />
          </div>
        </div>
      </header>
      <main id="main" className="mx-auto w-full max-w-6xl flex-1 px-4 py-8 sm:px-6 sm:py-10">
        {children}
      </main>
      <Suspense fallback={null}>
        <NoticeToast />
      </Suspense>
      <MembershipWatcher userId={user.id} />
    </div>
  );
}

/** The placeholder body of a portal that is still being built. */
export function PortalPlaceholder({
  user,
  lead,
  items,
}: {
  user: TSignedInUser;
  lead: string;
  items: string[];
}) {
  return (
    <div className="grid gap-6">
      <div>
        <h1 className="text-2xl font-semibold tracking-tight break-words sm:text-3xl">
          Welcome, {user.email}
        </h1>
        <p className="mt-2 max-w-2xl text-slate-600">{lead}</p>
      </div>
      <section
        aria-labelledby="coming-soon"
        className="rounded-2xl border border-dashed border-slate-300 bg-white p-6"
      >
        <h2 id="coming-soon" className="text-sm font-semibold tracking-wide text-slate-500 uppercase">
          Coming here soon
        </h2>
        <ul className="mt-3 grid gap-2 text-slate-700 sm:grid-cols-2">
          {items.map((item) => (
            <li key={item} className="flex gap-2">
              <span aria-hidden className="mt-2 size-1.5 shrink-0 rounded-full bg-brand-500" />
              {item}
            </li>
          ))}
        </ul>
      </section>
    </div>
  );
}
