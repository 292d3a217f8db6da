import { signOut } from '@/lib/auth/sign-out';
import { SubmitButton } from './submit-button';

export function SignOutButton({ className = '' }: { className?: string }) {
  return (
    <form action={signOut} className={className}>
      <SubmitButton variant="secondary" pendingLabel="Signing out…" className="py-1.5">
        Sign out
      </SubmitButton>
    </form>
  );
}
