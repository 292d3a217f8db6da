/**
 * Realtime topics and events the database broadcasts to (supabase/migrations/*_create_realtime_topics.sql).
 *
 * Every topic is private: subscribe with `supabase.channel(topic, { config: { private: true } })`.
 * The availability topic is readable by anyone, including an anonymous chatbot that only has the
 * anon key: it joins the same way (private: true); the policy on realtime.messages lets role anon in.
 * Broadcast payloads are parsed with the zod schemas below before use.
 */
import { z } from 'zod';
import { APPOINTMENT_SOURCES, APPOINTMENT_STATUSES, MEMBER_ROLES } from './appointments';

export const topics = {
  /** Admins of the clinic: every appointment, hold and availability change. */
  clinicSchedule: (clinicId: string) => `clinic:${clinicId}:schedule`,
  /** That dentist and the clinic's admins. */
  dentistSchedule: (dentistId: string) => `dentist:${dentistId}:schedule`,
  /** That patient (their user id) and the clinic's admins. */
  patientAppointments: (patientId: string) => `patient:${patientId}:appointments`,
  /** Anyone: "slots changed for dentist X between from and to"; no patient data. */
  clinicAvailability: (clinicId: string) => `clinic:${clinicId}:availability`,
  /** Admins and dentists of the clinic: presence and client broadcasts (soft locks). */
  clinicStaff: (clinicId: string) => `clinic:${clinicId}:staff`,
  /** That user only: their role or clinic changed (20261207000300_reauthorize_realtime_on_membership_change.sql). */
  memberMembership: (userId: string) => `member:${userId}:membership`,
} as const;

export const REALTIME_EVENTS = {
  appointmentChanged: 'appointment_changed',
  holdChanged: 'hold_changed',
  availabilityChanged: 'availability_changed',
  slotsChanged: 'slots_changed',
  membershipChanged: 'membership_changed',
} as const;

const ZOperation = z.enum(['INSERT', 'UPDATE', 'DELETE']);

export const ZAppointmentChanged = z.object({
  operation: ZOperation,
  id: z.string().uuid(),
  clinic_id: z.string().uuid(),
  dentist_id: z.string().uuid(),
  patient_id: z.string().uuid(),
  service_id: z.string().uuid(),
  status: z.enum(APPOINTMENT_STATUSES),
  source: z.enum(APPOINTMENT_SOURCES),
  version: z.number().int(),
  starts_at: z.string(),
  ends_at: z.string(),
  old: z
    .object({
      dentist_id: z.string().uuid(),
      status: z.enum(APPOINTMENT_STATUSES),
      starts_at: z.string(),
      ends_at: z.string(),
    })
    .nullable(),
});
export type TAppointmentChanged = z.infer<typeof ZAppointmentChanged>;

export const ZHoldChanged = z.object({
  operation: ZOperation,
  id: z.string().uuid(),
  clinic_id: z.string().uuid(),
  dentist_id: z.string().uuid(),
  service_id: z.string().uuid(),
  /** Only on the admins' clinic topic: a dentist's topic does not say whose hold it is. */
  held_by: z.string().uuid().optional(),
  starts_at: z.string(),
  ends_at: z.string(),
  expires_at: z.string(),
});
export type THoldChanged = z.infer<typeof ZHoldChanged>;

export const ZAvailabilityChanged = z.object({
  operation: ZOperation,
  table: z.enum(['availability_rules', 'availability_overrides', 'time_off']),
  id: z.string().uuid(),
  dentist_id: z.string().uuid(),
  from: z.string().nullable(),
  to: z.string().nullable(),
});
export type TAvailabilityChanged = z.infer<typeof ZAvailabilityChanged>;

/**
 * On the public availability topic. `from`/`to` null = any time (a weekly rule changed).
 * `until` is set when a hold appeared: the slot frees itself at that instant without another event.
 */
export const ZSlotsChanged = z.object({
  dentist_id: z.string().uuid(),
  from: z.string().nullable(),
  to: z.string().nullable(),
  until: z.string().nullable().optional(),
});
export type TSlotsChanged = z.infer<typeof ZSlotsChanged>;

/** On the member topic: the user's new role and clinic (null = no clinic). */
export const ZMembershipChanged = z.object({
  user_id: z.string().uuid(),
  role: z.enum(MEMBER_ROLES),
  clinic_id: z.string().uuid().nullable(),
});
export type TMembershipChanged = z.infer<typeof ZMembershipChanged>;
