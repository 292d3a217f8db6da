'use client';

import { useFormStatus } from 'react-dom';

interface SubmitButtonProps {
  children: React.ReactNode;
  /** What the button says while the form is being sent ("Signing in…"). */
  pendingLabel: string;
  variant?: 'primary' | 'secondary';
  className?: string;
}

const VARIANTS = {
  primary: 'bg-brand-600 text-white hover:bg-brand-700 disabled:bg-brand-600/70',
  secondary: 'border border-slate-300 bg-white text-slate-800 hover:bg-slate-50 disabled:bg-slate-50',
} as const;

/**
 * A submit button that shows the form's pending state. Both labels occupy the same grid cell, so
 * the button keeps its width when the text changes (no layout shift).
 */
export function SubmitButton({
  children,
  pendingLabel,
  variant = 'primary',
  className = '',
}: SubmitButtonProps) {
  const { pending } = useFormStatus();
  return (
    <button
      type="submit"
      disabled={pending}
      aria-disabled={pending}
      className={`inline-grid items-center justify-items-center rounded-lg px-4 py-2.5 text-sm font-semibold shadow-sm transition-colors disabled:cursor-wait ${VARIANTS[variant]} ${className}`}
    >
      <span className={`col-start-1 row-start-1 ${pending ? 'invisible' : ''}`}>{children}</span>
      <span
        aria-hidden={!pending}
        className={`col-start-1 row-start-1 inline-flex items-center gap-2 ${pending ? '' : 'invisible'}`}
      >
        <span className="size-4 animate-spin rounded-full border-2 border-current border-r-transparent" />
        {pendingLabel}
      </span>
    </button>
  );
}
