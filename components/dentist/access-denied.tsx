import Link from 'next/link';
import { PORTAL_BY_ROLE, type TRole } from '@/lib/routes';

const PORTAL_NAMES: Record<TRole, string> = {
  patient: 'your patient portal',
  dentist: 'your dentist workspace',
  admin: 'the live board',
};

/**
 * Shown in place of a staff area to a signed-in user whose role may not see it. The data is protected
 * by RLS anyway; this page says so plainly instead of rendering an empty workspace.
 */
export function AccessDenied({ area, role }: { area: string; role: TRole | null }) {
  return (
    <div className="mx-auto grid max-w-lg gap-3 py-12 text-center">
      <p className="text-sm font-semibold text-red-700">403 · Not allowed</p>
      <h1 className="text-2xl font-semibold tracking-tight">This area is for {area}</h1>
      <p className="text-slate-600">
        Your account cannot open this page. If you work at the clinic, ask an admin to give your account the
        right role.
      </p>
      {role ? (
        <p>
          <Link
            href={PORTAL_BY_ROLE[role]}
            className="inline-block rounded-lg bg-brand-600 px-4 py-2.5 text-sm font-semibold text-white hover:bg-brand-700"
          >
            Go to {PORTAL_NAMES[role]}
          </Link>
        </p>
      ) : null}
    </div>
  );
}
