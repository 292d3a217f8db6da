'use client';

import Link from 'next/link';
import { useActionState } from 'react';
import { FormField } from '@/components/form-field';
import { SubmitButton } from '@/components/submit-button';
import { ROUTES } from '@/lib/routes';
import { signIn } from '../actions';
import { FormAlert } from '../auth-card';
import { INITIAL_AUTH_FORM_STATE } from '../form-state';

export function SignInForm({ next }: { next: string | null }) {
  const [state, formAction] = useActionState(signIn, INITIAL_AUTH_FORM_STATE);
  const fieldErrors = state.status === 'error' ? state.fieldErrors : {};
  return (
    <form action={formAction} noValidate className="grid gap-4">
      {state.status === 'error' && state.message ? (
        <FormAlert>
          {state.message}
          {state.code === 'email_not_confirmed' ? null : (
            <>
              {' '}
              <Link href={ROUTES.signUp} className="font-medium underline">
                Need an account?
              </Link>
            </>
          )}
        </FormAlert>
      ) : null}
      {next ? <input type="hidden" name="next" value={next} /> : null}
      <FormField
        label="Email"
        name="email"
        type="email"
        autoComplete="email"
        inputMode="email"
        required
        defaultValue={state.email}
        error={fieldErrors.email}
        autoFocus
      />
      <FormField
        label="Password"
        name="password"
        type="password"
        autoComplete="current-password"
        required
        error={fieldErrors.password}
      />
      <SubmitButton pendingLabel="Signing in…" className="mt-2 w-full">
        Sign in
      </SubmitButton>
    </form>
  );
}
