'use client';

import Link from 'next/link';
import { usePathname } from 'next/navigation';

export type TNavItem = { href: string; label: string };

/** Tabs between the pages of a workspace; the current one is marked for screen readers too. */
export function WorkspaceNav({ items, label }: { items: readonly TNavItem[]; label: string }) {
  const pathname = usePathname();
  return (
    <nav aria-label={label} className="mb-6 flex gap-1 border-b border-slate-200">
      {items.map((item) => {
        const isCurrent = pathname === item.href;
        return (
          <Link
            key={item.href}
            href={item.href}
            aria-current={isCurrent ? 'page' : undefined}
            className={`-mb-px border-b-2 px-3 py-2 text-sm font-medium ${
              isCurrent
                ? 'border-brand-600 text-brand-700'
                : 'border-transparent text-slate-600 hover:text-slate-900'
            }`}
          >
            {item.label}
          </Link>
        );
      })}
    </nav>
  );
}
