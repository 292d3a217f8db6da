import type { Metadata } from 'next';
import { AdminBoard } from '@/components/admin/admin-board';
import { parseDateParam } from '@/components/dentist/staff-format';
import { loadBoardContext } from './load-board';

export const metadata: Metadata = { title: 'Admin live board' };

export default async function AdminBoardPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const context = await loadBoardContext();
  if (!context) return null;
  const { date } = await searchParams;
  const day = parseDateParam(date) ?? context.today;
  return (
    <AdminBoard
      viewer={context.viewer}
      clinic={context.clinic}
      dentists={context.dentists}
      services={context.services}
      dentistServices={context.dentistServices}
      date={day}
      today={context.today}
      showServerStats={context.isServerOperator}
    />
  );
}
