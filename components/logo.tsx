import Link from 'next/link';
import { ROUTES } from '@/lib/routes';

export function Logo() {
  return (
    <Link
      href={ROUTES.home}
      className="flex items-center gap-2 rounded-md font-semibold tracking-tight text-slate-900"
    >
      <span aria-hidden className="grid size-8 place-items-center rounded-lg bg-brand-600 text-white">
        <svg viewBox="0 0 24 24" className="size-5" fill="currentColor">
          <path d="M7.5 3C5 3 3 5.2 3 8c0 2 .8 3.3 1.5 4.6.6 1.2.9 2.6 1.1 4.4.2 2.4.8 4 2 4 1.3 0 1.6-1.7 2-3.6.3-1.5.7-2.4 2.4-2.4s2.1.9 2.4 2.4c.4 1.9.7 3.6 2 3.6 1.2 0 1.8-1.6 2-4 .2-1.8.5-3.2 1.1-4.4C20.2 11.3 21 10 21 8c0-2.8-2-5-4.5-5-1.7 0-2.7.8-4.5.8S9.2 3 7.5 3Z" />
        </svg>
      </span>
      <span>Chairtime</span>
    </Link>
  );
}
