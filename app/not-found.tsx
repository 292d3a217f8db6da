import Link from 'next/link';
import { ROUTES } from '@/lib/routes';

export default function NotFound() {
  return (
    <main id="main" className="grid min-h-dvh place-items-center px-4">
      <div className="text-center">
        <p className="text-sm font-semibold text-brand-700">404</p>
        <h1 className="mt-2 text-2xl font-semibold tracking-tight">We couldn’t find that page</h1>
        <p className="mt-2 text-slate-600">The link may be old, or the page may have moved.</p>
        <Link
          href={ROUTES.home}
          className="mt-6 inline-block rounded-lg bg-brand-600 px-4 py-2.5 text-sm font-semibold text-white hover:bg-brand-700"
        >
          Back to the home page
        </Link>
      </div>
    </main>
  );
}
