'use client';

import type { TPresenceUser } from '@/hooks/use-presence';
import { decodeActivity } from '@/components/dentist/presence-activity';

const ROLE_LABELS = { admin: 'Front desk / admin', dentist: 'Dentist', patient: 'Patient' } as const;

/** Who on the staff is online now, their role and what they are looking at (clinic staff presence). */
export function PresencePanel({ users, selfId }: { users: readonly TPresenceUser[]; selfId: string }) {
  return (
    <section
      aria-labelledby="presence-heading"
      className="rounded-xl border border-slate-200 bg-white p-4 shadow-sm"
    >
      <h2 id="presence-heading" className="text-sm font-semibold">
        Online now <span className="font-normal text-slate-500">({users.length})</span>
      </h2>
      {users.length === 0 ? (
        <p className="mt-2 text-sm text-slate-500">Connecting…</p>
      ) : (
        <ul aria-live="polite" className="mt-2 grid gap-2">
          {users.map((user) => {
            const activity = decodeActivity(user.activity);
            return (
              <li key={user.userId} className="flex items-start gap-2 text-sm" data-presence-user={user.name}>
                <span aria-hidden className="mt-1.5 size-2 shrink-0 rounded-full bg-emerald-500" />
                <span className="min-w-0">
                  <span className="font-medium">
                    {user.name}
                    {user.userId === selfId ? (
                      <span className="font-normal text-slate-500"> (you)</span>
                    ) : null}
                  </span>
                  <span className="block text-xs text-slate-500">
                    {ROLE_LABELS[user.role]}
                    {user.tabs > 1 ? ` · ${user.tabs} tabs` : ''}
                  </span>
                  {activity.text ? (
                    <span className="block truncate text-xs text-slate-700">
                      {activity.mode === 'editing'
                        ? 'Editing · '
                        : activity.mode === 'viewing'
                          ? 'Viewing · '
                          : ''}
                      {activity.text}
                    </span>
                  ) : null}
                </span>
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}
