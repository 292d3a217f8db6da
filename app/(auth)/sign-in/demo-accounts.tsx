import { DEMO_LOGINS, DEMO_PASSWORD } from '@/lib/domain/demo-logins';
import { publicEnv } from '@/lib/env';

/**
 * The seeded demo accounts, listed only when the app talks to the local stack: the seed never runs
 * on a hosted project, so there these accounts do not exist.
 */
export function DemoAccounts() {
  if (!publicEnv.isLocal) return null;
  return (
    <details className="mt-4 rounded-xl border border-slate-200 bg-white px-4 py-3 text-sm text-slate-700">
      <summary className="cursor-pointer font-medium text-slate-800">Demo accounts (local stack)</summary>
      <p className="mt-2 text-slate-600">
        Every demo account uses the password{' '}
        <code className="rounded bg-slate-100 px-1.5 py-0.5">{DEMO_PASSWORD}</code>.
      </p>
      <ul className="mt-2 grid gap-1">
        {DEMO_LOGINS.map((login) => (
          <li key={login.email} className="flex flex-wrap items-baseline justify-between gap-x-3">
            <span className="font-mono text-xs sm:text-sm">{login.email}</span>
            <span className="text-xs text-slate-500">
              {login.name} · {login.role}
            </span>
          </li>
        ))}
      </ul>
    </details>
  );
}
