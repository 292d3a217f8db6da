import { Suspense } from 'react';
import { Logo } from '@/components/logo';
import { NoticeToast } from '@/components/notice-toast';

export default function AuthLayout({ children }: { children: React.ReactNode }) {
  return (
    <div className="flex min-h-dvh flex-col">
      <header className="border-b border-slate-200 bg-white">
        <div className="mx-auto flex h-16 max-w-6xl items-center px-4 sm:px-6">
          <Logo />
        </div>
      </header>
      <main id="main" className="flex flex-1 items-start justify-center px-4 py-10 sm:items-center sm:py-16">
        {children}
      </main>
      <Suspense fallback={null}>
        <NoticeToast />
      </Suspense>
    </div>
  );
}
