import type { TAppointmentRow } from '@/lib/realtime';

export type TBoardClinic = {
  id: string;
  name: string;
  timezone: string;
  /** The clinic's status windows (see lib/scheduling/status.ts). */
  check_in_opens_minutes: number;
  no_show_after_minutes: number;
};
export type TBoardDentist = { id: string; display_name: string };
export type TBoardService = { id: string; name: string; duration_minutes: number };
export type TBoardViewer = { userId: string; name: string; email: string };
export type TDentistService = { dentist_id: string; service_id: string };
export type TBoardAppointment = TAppointmentRow;

/** Another staff member who has an appointment open (from presence). */
export type TSoftLock = { userId: string; name: string; mode: 'viewing' | 'editing' };
