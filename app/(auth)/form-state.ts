import type { TAuthFailureCode } from '@/lib/errors';

/** What a sign-in / sign-up action hands back to its form. */
export type TAuthFormState =
  | { status: 'idle'; email: string }
  | {
      status: 'error';
      /** Echoed back so the field keeps its value after React resets the form. */
      email: string;
      code?: TAuthFailureCode;
      message?: string;
      fieldErrors: { email?: string; password?: string };
    }
  | { status: 'check-email'; email: string };

export const INITIAL_AUTH_FORM_STATE: TAuthFormState = { status: 'idle', email: '' };

/** GoTrue's default minimum; a hosted project may require more and will say so (weak_password). */
export const MIN_PASSWORD_LENGTH = 6;
/** bcrypt ignores bytes after 72, so GoTrue refuses longer passwords. */
export const MAX_PASSWORD_LENGTH = 72;
