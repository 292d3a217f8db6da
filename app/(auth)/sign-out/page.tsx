import type { Metadata } from 'next';
import Link from 'next/link';
import { redirect } from 'next/navigation';
import { SubmitButton } from '@/components/submit-button';
import { ROUTES } from '@/lib/routes';
import { getSignedInUser } from '@/lib/supabase/session';
import { signOut } from '@/lib/auth/sign-out';
import { AuthCard } from '../auth-card';

export const metadata: Metadata = { title: 'Sign out' };

/** Signing out changes state, so it happens on a POST (the button), never on a plain GET of this page. */
export default async function SignOutPage() {
  const user = await getSignedInUser();
  if (!user) redirect(ROUTES.signIn);
  return (
    <AuthCard title="Sign out" lead={`You are signed in as ${user.email}.`}>
      <form action={signOut} className="grid gap-3">
        <SubmitButton pendingLabel="Signing out…" className="w-full">
          Sign out
        </SubmitButton>
        <Link
          href={ROUTES.home}
          className="text-center text-sm font-medium text-slate-600 hover:text-slate-900"
        >
          Cancel
        </Link>
      </form>
    </AuthCard>
  );
}
