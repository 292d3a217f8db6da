/**
 * Enum values of the scheduling schema (public.member_role, public.appointment_status,
 * public.appointment_source) and the RPC names, mirrored from the migrations.
 */

export const MEMBER_ROLES = ['patient', 'dentist', 'admin'] as const;
export type TMemberRole = (typeof MEMBER_ROLES)[number];

export const APPOINTMENT_STATUSES = [
  'scheduled',
  'confirmed',
  'checked_in',
  'in_chair',
  'completed',
  'cancelled',
  'late_cancel',
  'no_show',
] as const;
export type TAppointmentStatus = (typeof APPOINTMENT_STATUSES)[number];

/** Statuses from which the workflow can still move (and that cancel/no-show apply to). */
export const ACTIVE_STATUSES = [
  'scheduled',
  'confirmed',
  'checked_in',
  'in_chair',
] as const satisfies readonly TAppointmentStatus[];

/** Statuses that occupy the dentist's time (the exclusion constraint's predicate). */
export const BLOCKING_STATUSES = [
  ...ACTIVE_STATUSES,
  'completed',
] as const satisfies readonly TAppointmentStatus[];

/** Statuses a scheduled or confirmed appointment can be rescheduled or cancelled by a patient from. */
export const PATIENT_CHANGEABLE_STATUSES = [
  'scheduled',
  'confirmed',
] as const satisfies readonly TAppointmentStatus[];

export const APPOINTMENT_SOURCES = ['portal', 'chatbot', 'staff'] as const;
export type TAppointmentSource = (typeof APPOINTMENT_SOURCES)[number];

/** RPC names (`supabase.rpc(RPC.bookAppointment, {...})`). */
export const RPC = {
  availableSlots: 'available_slots',
  holdSlot: 'hold_slot',
  releaseHold: 'release_hold',
  bookAppointment: 'book_appointment',
  cancelAppointment: 'cancel_appointment',
  rescheduleAppointment: 'reschedule_appointment',
  setAppointmentStatus: 'set_appointment_status',
  setMemberRole: 'set_member_role',
  currentMember: 'current_member',
  clinicOpeningHours: 'clinic_opening_hours',
} as const;

/** Row shape returned by `available_slots` (its JSON keys are `start` and `end`). */
export interface TAvailableSlot {
  start: string;
  end: string;
  dentist_id: string;
  dentist_name: string;
}
