import type { Metadata } from 'next';
import Link from 'next/link';
import { redirect } from 'next/navigation';
import { ROUTES } from '@/lib/routes';
import { getPortalPath, getSignedInUser } from '@/lib/supabase/session';
import { AuthCard } from '../auth-card';
import { SignUpForm } from './sign-up-form';

export const metadata: Metadata = { title: 'Create account' };

export default async function SignUpPage() {
  const user = await getSignedInUser();
  if (user) redirect(await getPortalPath(user.id));
  return (
    <AuthCard
      title="Create your account"
      lead="Book and manage your dental appointments online, any time."
      footer={
        <>
          Already have an account?{' '}
          <Link
            href={ROUTES.signIn}
            className="font-medium text-brand-700 underline-offset-2 hover:underline"
          >
            Sign in
          </Link>
        </>
      }
    >
      <SignUpForm />
    </AuthCard>
  );
}
