'use client';

import Link from 'next/link';
import { useActionState } from 'react';
import { FormField } from '@/components/form-field';
import { SubmitButton } from '@/components/submit-button';
import { ROUTES } from '@/lib/routes';
import { signUp } from '../actions';
import { FormAlert } from '../auth-card';
import { INITIAL_AUTH_FORM_STATE, MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH } from '../form-state';

export function SignUpForm() {
  const [state, formAction] = useActionState(signUp, INITIAL_AUTH_FORM_STATE);

  if (state.status === 'check-email') {
    return (
      <div
        role="status"
        className="rounded-lg border border-brand-200 bg-brand-50 px-4 py-3 text-sm text-brand-900"
      >
        Almost there: we sent a confirmation link to <strong className="break-all">{state.email}</strong>.
        Open it to finish creating your account.
      </div>
    );
  }

  const fieldErrors = state.status === 'error' ? state.fieldErrors : {};
  return (
    <form action={formAction} noValidate className="grid gap-4">
      {state.status === 'error' && state.message ? (
        <FormAlert>
          {state.message}
          {state.code === 'user_already_exists' ? (
            <>
              {' '}
              <Link href={ROUTES.signIn} className="font-medium underline">
                Go to sign in
              </Link>
            </>
          ) : null}
        </FormAlert>
      ) : null}
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
        autoComplete="new-password"
        required
        minLength={MIN_PASSWORD_LENGTH}
        maxLength={MAX_PASSWORD_LENGTH}
        hint={`At least ${MIN_PASSWORD_LENGTH} characters.`}
        error={fieldErrors.password}
      />
      <SubmitButton pendingLabel="Creating account…" className="mt-2 w-full">
        Create account
      </SubmitButton>
    </form>
  );
}
