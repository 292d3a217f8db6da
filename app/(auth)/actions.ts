'use server';

import { headers } from 'next/headers';
import { redirect } from 'next/navigation';
import { z } from 'zod';
import { toAuthFailure } from '@/lib/errors';
import { ROUTES, safeNextPath, withNotice } from '@/lib/routes';
import { createClient } from '@/lib/supabase/server';
import { getPortalPath } from '@/lib/supabase/session';
import { MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH, type TAuthFormState } from './form-state';

const ZEmail = z
  .string()
  .trim()
  .min(1, 'Enter your email address.')
  .pipe(z.email('Enter a valid email address, like name@example.com.'));

const ZSignInForm = z.object({
  email: ZEmail,
  password: z.string().min(1, 'Enter your password.'),
});

const ZSignUpForm = z.object({
  email: ZEmail,
  password: z
    .string()
    .min(MIN_PASSWORD_LENGTH, `Use at least ${MIN_PASSWORD_LENGTH} characters.`)
    .max(MAX_PASSWORD_LENGTH, `Use at most ${MAX_PASSWORD_LENGTH} characters.`),
});

function text(formData: FormData, name: string): string {
  const value = formData.get(name);
  return typeof value === 'string' ? value : '';
}

function fieldErrors(error: z.ZodError<{ email: string; password: string }>) {
  const { fieldErrors: errors } = z.flattenError(error);
  return { email: errors.email?.[0], password: errors.password?.[0] };
}

export async function signIn(_prev: TAuthFormState, formData: FormData): Promise<TAuthFormState> {
  const email = text(formData, 'email').trim();
  const parsed = ZSignInForm.safeParse({ email, password: text(formData, 'password') });
  if (!parsed.success) return { status: 'error', email, fieldErrors: fieldErrors(parsed.error) };

  const supabase = await createClient();
  const { data, error } = await supabase.auth.signInWithPassword(parsed.data);
  if (error || !data.user) {
    const failure = toAuthFailure(error);
    return { status: 'error', email, code: failure.code, message: failure.message, fieldErrors: {} };
  }
  const next = safeNextPath(text(formData, 'next')) ?? (await getPortalPath(data.user.id));
  redirect(withNotice(next, 'signed-in'));
}

export async function signUp(_prev: TAuthFormState, formData: FormData): Promise<TAuthFormState> {
  const email = text(formData, 'email').trim();
  const parsed = ZSignUpForm.safeParse({ email, password: text(formData, 'password') });
  if (!parsed.success) return { status: 'error', email, fieldErrors: fieldErrors(parsed.error) };

  // Where the confirmation link returns to, when the project requires email confirmation.
  const origin = (await headers()).get('origin');
  const supabase = await createClient();
  const { data, error } = await supabase.auth.signUp({
    ...parsed.data,
    options: origin ? { emailRedirectTo: `${origin}${ROUTES.authCallback}` } : undefined,
  });
  if (error) {
    const failure = toAuthFailure(error);
    return { status: 'error', email, code: failure.code, message: failure.message, fieldErrors: {} };
  }
  // With confirmations on (a hosted default) there is no session until the link is clicked.
  if (!data.session || !data.user) return { status: 'check-email', email };
  redirect(withNotice(await getPortalPath(data.user.id), 'signed-up'));
}
