/** What the patient views know about the clinic, its treatments and dentists (loaded on the server). */

export interface TClinicInfo {
  id: string;
  name: string;
  /** IANA zone; every time in the portal is shown in it, never in the browser's zone. */
  timezone: string;
  holdMinutes: number;
  cancellationCutoffHours: number;
  bookingHorizonDays: number;
  minNoticeMinutes: number;
}

export interface TServiceInfo {
  id: string;
  name: string;
  description: string | null;
  durationMinutes: number;
}

export interface TDentistInfo {
  id: string;
  name: string;
  bio: string | null;
  /** Treatments this dentist offers. */
  serviceIds: readonly string[];
}

export interface TPatientContext {
  userId: string;
  clinic: TClinicInfo;
  services: readonly TServiceInfo[];
  dentists: readonly TDentistInfo[];
}
