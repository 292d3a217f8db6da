/**
 * Logins created by supabase/seed.sql for local development and demos (never on a hosted project:
 * the seed runs only on local resets). Shown by the README and the dev banner.
 */
import type { TMemberRole } from './appointments';

export const DEMO_PASSWORD = 'password123';

export const DEMO_CLINIC = {
  id: 'c1000000-0000-4000-8000-000000000001',
  name: 'Bright Smile Dental',
  timezone: 'Europe/London',
} as const;

export interface TDemoLogin {
  email: string;
  password: string;
  role: TMemberRole;
  name: string;
  userId: string;
  /** For dentists: their row in public.dentists. */
  dentistId?: string;
}

export const DEMO_LOGINS: readonly TDemoLogin[] = [
  {
    email: 'admin@demo.clinic',
    password: DEMO_PASSWORD,
    role: 'admin',
    name: 'Alex Morgan',
    userId: 'a0000000-0000-4000-8000-000000000001',
  },
  {
    email: 'frontdesk@demo.clinic',
    password: DEMO_PASSWORD,
    role: 'admin',
    name: 'Sam Patel',
    userId: 'a0000000-0000-4000-8000-000000000002',
  },
  {
    email: 'dr.lee@demo.clinic',
    password: DEMO_PASSWORD,
    role: 'dentist',
    name: 'Dr. Jordan Lee',
    userId: 'd0000000-0000-4000-8000-000000000001',
    dentistId: 'de000000-0000-4000-8000-000000000001',
  },
  {
    email: 'dr.garcia@demo.clinic',
    password: DEMO_PASSWORD,
    role: 'dentist',
    name: 'Dr. Maria Garcia',
    userId: 'd0000000-0000-4000-8000-000000000002',
    dentistId: 'de000000-0000-4000-8000-000000000002',
  },
  {
    email: 'dr.okafor@demo.clinic',
    password: DEMO_PASSWORD,
    role: 'dentist',
    name: 'Dr. Chidi Okafor',
    userId: 'd0000000-0000-4000-8000-000000000003',
    dentistId: 'de000000-0000-4000-8000-000000000003',
  },
  {
    email: 'patient@demo.clinic',
    password: DEMO_PASSWORD,
    role: 'patient',
    name: 'Emma Wilson',
    userId: 'b0000000-0000-4000-8000-000000000001',
  },
  {
    email: 'liam@demo.clinic',
    password: DEMO_PASSWORD,
    role: 'patient',
    name: 'Liam Johnson',
    userId: 'b0000000-0000-4000-8000-000000000002',
  },
  {
    email: 'olivia@demo.clinic',
    password: DEMO_PASSWORD,
    role: 'patient',
    name: 'Olivia Brown',
    userId: 'b0000000-0000-4000-8000-000000000003',
  },
  {
    email: 'noah@demo.clinic',
    password: DEMO_PASSWORD,
    role: 'patient',
    name: 'Noah Davies',
    userId: 'b0000000-0000-4000-8000-000000000004',
  },
  {
    email: 'ava@demo.clinic',
    password: DEMO_PASSWORD,
    role: 'patient',
    name: 'Ava Thompson',
    userId: 'b0000000-0000-4000-8000-000000000005',
  },
  {
    email: 'ethan@demo.clinic',
    password: DEMO_PASSWORD,
    role: 'patient',
    name: 'Ethan Clarke',
    userId: 'b0000000-0000-4000-8000-000000000006',
  },
];

export const DEMO_SERVICES = [
  { id: '5e000000-0000-4000-8000-000000000001', name: 'Check-up', durationMinutes: 30 },
  { id: '5e000000-0000-4000-8000-000000000002', name: 'Cleaning', durationMinutes: 45 },
  { id: '5e000000-0000-4000-8000-000000000003', name: 'Filling', durationMinutes: 60 },
  { id: '5e000000-0000-4000-8000-000000000004', name: 'Whitening', durationMinutes: 90 },
] as const;
