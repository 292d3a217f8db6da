import Link from 'next/link';
import { ROUTES } from '@/lib/routes';
import { getPortalPath, getSignedInUser } from '@/lib/supabase/session';

const SURFACES = [
  {
    title: 'Patient portal',
    body: 'Browse treatments and dentists, see free times, hold a slot while you confirm, then book, reschedule or cancel.',
    live: 'Slots disappear the moment someone else books them.',
  },
  {
    title: 'Dentist workspace',
    body: 'Set weekly hours, one-off changes and time off. Confirm, check in and complete the day’s appointments.',
    live: 'New bookings and cancellations land on your calendar instantly.',
  },
  {
    title: 'Admin live board',
    body: 'Every chair of the clinic on one board: act on any appointment and follow the activity feed.',
    live: 'See who on the team is online and what they are working on.',
  },
  {
    title: 'Booking assistant',
    body: 'Ask in plain words — “any cleaning with Dr. Lee tomorrow afternoon?” — and book from the answer.',
    live: 'Suggestions stay current while the chat is open.',
  },
] as const;

export default async function HomePage() {
  const user = await getSignedInUser();
  const portalPath = user ? await getPortalPath(user.id) : null;
  return (
    <>
      <section className="border-b border-slate-200 bg-gradient-to-b from-brand-50 to-slate-50">
        <div className="mx-auto grid max-w-6xl gap-10 px-4 py-16 sm:px-6 sm:py-24 lg:grid-cols-[1.2fr_1fr] lg:items-center">
          <div>
            <p className="text-sm font-semibold tracking-wide text-brand-700 uppercase">
              Realtime dental scheduling
            </p>
            <h1 className="mt-3 text-4xl font-semibold tracking-tight text-balance sm:text-5xl">
              One schedule for the whole clinic, always up to date.
            </h1>
            <p className="mt-5 max-w-xl text-lg text-pretty text-slate-600">
              Patients book online, dentists manage their day, and the front desk watches every chair live.
              When anything changes, everyone sees it within a second — no refreshing, no double bookings.
            </p>
            <div className="mt-8 flex flex-wrap gap-3">
              {portalPath ? (
                <Link
                  href={portalPath}
                  className="rounded-lg bg-brand-600 px-5 py-3 text-sm font-semibold text-white shadow-sm hover:bg-brand-700"
                >
                  Open my portal
                </Link>
              ) : (
                <>
                  <Link
                    href={ROUTES.signUp}
                    className="rounded-lg bg-brand-600 px-5 py-3 text-sm font-semibold text-white shadow-sm hover:bg-brand-700"
                  >
                    Create an account
                  </Link>
                  <Link
                    href={ROUTES.signIn}
                    className="rounded-lg border border-slate-300 bg-white px-5 py-3 text-sm font-semibold text-slate-800 shadow-sm hover:bg-slate-50"
                  >
                    Sign in
                  </Link>
                </>
              )}
            </div>
          </div>
          <ScheduleIllustration />
        </div>
      </section>

      <section aria-labelledby="surfaces" className="mx-auto max-w-6xl px-4 py-16 sm:px-6">
        <h2 id="surfaces" className="text-2xl font-semibold tracking-tight">
          Built for everyone who touches the schedule
        </h2>
        <div className="mt-8 grid gap-4 sm:grid-cols-2">
          {SURFACES.map((surface) => (
            <article
              key={surface.title}
              className="rounded-2xl border border-slate-200 bg-white p-6 shadow-sm"
            >
              <h3 className="text-lg font-semibold">{surface.title}</h3>
              <p className="mt-2 text-slate-600">{surface.body}</p>
              <p className="mt-4 flex items-center gap-2 text-sm font-medium text-brand-700">
                <span aria-hidden className="size-2 rounded-full bg-emerald-500" />
                {surface.live}
              </p>
            </article>
          ))}
        </div>
      </section>
    </>
  );
}

/** A static picture of a day board; decorative, so hidden from assistive technology. */
function ScheduleIllustration() {
  const rows = [
    { time: '09:00', who: 'Dr. Lee', what: 'Cleaning', tone: 'bg-brand-100 text-brand-900' },
    { time: '09:30', who: 'Dr. Patel', what: 'Check-up', tone: 'bg-sky-100 text-sky-900' },
    { time: '10:00', who: 'Dr. Lee', what: 'Filling', tone: 'bg-amber-100 text-amber-900' },
    { time: '10:30', who: 'Dr. Okafor', what: 'Whitening', tone: 'bg-violet-100 text-violet-900' },
  ];
  return (
    <div aria-hidden className="rounded-2xl border border-slate-200 bg-white p-5 shadow-lg">
      <div className="flex items-center justify-between">
        <p className="text-sm font-semibold">Today</p>
        <p className="flex items-center gap-1.5 text-xs font-medium text-emerald-700">
          <span className="size-2 animate-pulse rounded-full bg-emerald-500" /> Live
        </p>
      </div>
      <ul className="mt-4 grid gap-2">
        {rows.map((row) => (
          <li key={row.time} className="flex items-center gap-3">
            <span className="w-12 text-xs text-slate-500 tabular-nums">{row.time}</span>
            <span className={`flex-1 rounded-lg px-3 py-2 text-sm ${row.tone}`}>
              <span className="font-medium">{row.what}</span> · {row.who}
            </span>
          </li>
        ))}
      </ul>
    </div>
  );
}
