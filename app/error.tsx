'use client';

import { startTransition, useEffect, useState } from 'react';
import { OutageBanner, UnavailableNotice } from '@/components/outage-banner';
import { isBackendReachable } from '@/hooks/use-backend-recovery';

type TBackend = 'checking' | 'down' | 'up';

/**
 * Last-resort boundary: a friendly message and a retry, never the error's internals. In production
 * a server error arrives without its message, so the boundary asks the backend's health endpoint
 * whether this is an outage: then it says so, keeps re-checking, and re-renders the page by itself
 * when the backend answers again.
 */
export default function RootError({ retry }: { error: unknown; retry: () => void }) {
  const [backend, setBackend] = useState<TBackend>('checking');

  useEffect(() => {
    let isCurrent = true;
    void isBackendReachable().then((isReachable) => {
      if (isCurrent) setBackend(isReachable ? 'up' : 'down');
    });
    return () => {
      isCurrent = false;
    };
  }, []);

  if (backend === 'down') {
    return (
      <div className="flex min-h-dvh flex-col">
        <OutageBanner onReachable={() => startTransition(() => retry())} />
        <main id="main" className="grid flex-1 place-items-center px-4">
          <UnavailableNotice />
        </main>
      </div>
    );
  }

  if (backend === 'checking') {
    return (
      <main id="main" className="grid min-h-dvh place-items-center px-4">
        <p className="text-slate-600" aria-live="polite">
          Checking the connection…
        </p>
      </main>
    );
  }

  return (
    <main id="main" className="grid min-h-dvh place-items-center px-4">
      <div role="alert" className="text-center">
        <h1 className="text-2xl font-semibold tracking-tight">Something went wrong</h1>
        <p className="mt-2 text-slate-600">Please try again. If it keeps happening, reload the page.</p>
        <button
          type="button"
          onClick={() => startTransition(() => retry())}
          className="mt-6 rounded-lg bg-brand-600 px-4 py-2.5 text-sm font-semibold text-white hover:bg-brand-700"
        >
          Try again
        </button>
      </div>
    </main>
  );
}
