/** Shown instead of a patient page when the account has no clinic or the clinic data cannot be read. */
export function ContextProblem({ reason }: { reason: 'no_clinic' | 'unavailable' }) {
  return (
    <div role="alert" className="rounded-2xl border border-amber-200 bg-amber-50 p-6 text-amber-900">
      {reason === 'no_clinic'
        ? 'Your account is not linked to a clinic yet. Please contact the clinic so they can add you.'
        : 'We could not load the clinic’s details just now. Please reload the page in a moment.'}
    </div>
  );
}
