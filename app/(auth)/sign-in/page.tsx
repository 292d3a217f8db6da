import type { Metadata } from 'next';
import Link from 'next/link';
import { redirect } from 'next/navigation';
import { ROUTES, safeNextPath } from '@/lib/routes';
import { getPortalPath, getSignedInUser } from '@/lib/supabase/session';
import { AuthCard } from '../auth-card';
import { DemoAccounts } from './demo-accounts';
import { SignInForm } from './sign-in-form';

export const metadata: Metadata = { title: 'Sign in' };

export default async function SignInPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { next } = await searchParams;
  const user = await getSignedInUser();
  if (user) redirect(safeNextPath(next) ?? (await getPortalPath(user.id)));
  return (
    <div className="w-full max-w-md">
      <AuthCard
        title="Sign in"
        lead="Welcome back. Sign in to see your appointments and schedule."
        footer={
          <>
            New to Chairtime?{' '}
            <Link
              href={ROUTES.signUp}
              className="font-medium text-brand-700 underline-offset-2 hover:underline"
            >
              Create an account
            </Link>
          </>
        }
      >
        <SignInForm next={safeNextPath(next)} />
      </AuthCard>
      <DemoAccounts />
    </div>
  );
}
