'use client';

import Link from 'next/link';
import { usePathname } from 'next/navigation';
import { ConnectionIndicator } from '@/components/realtime/connection-indicator';

const ITEMS = [
  { href: '/patient', label: 'Overview' },
  { href: '/patient/book', label: 'Book' },
  { href: '/patient/appointments', label: 'My appointments' },
] as const;

/** The portal's sections; the current one is marked for screen readers with aria-current. */
export function PatientNav() {
  const pathname = usePathname();
  return (
    <div className="mb-8 flex flex-wrap items-center justify-between gap-3">
      <nav aria-label="Patient portal" className="flex gap-1 overflow-x-auto">
        {ITEMS.map((item) => {
          const isCurrent = pathname === item.href;
          return (
            <Link
              key={item.href}
              href={item.href}
              aria-current={isCurrent ? 'page' : undefined}
              className={`whitespace-nowrap rounded-lg px-3 py-1.5 text-sm font-medium ${isCurrent ? 'bg-brand-600 text-white' : 'text-slate-700 hover:bg-slate-100'}`}
            >
              {item.label}
            </Link>
          );
        })}
      </nav>
      {/* On small screens the header has no room; the status sits under it instead. */}
      <span className="sm:hidden">
        <ConnectionIndicator />
      </span>
    </div>
  );
}
