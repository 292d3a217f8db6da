import type { SupabaseClient } from '@supabase/supabase-js';
import { describe, expect, it } from 'vitest';
import {
  applyMembershipChange,
  portalAfterMembershipChange,
  readMembershipChange,
} from '@/hooks/use-membership-sync';

const USER = '6f1c2f4e-3b7a-4f7e-9a51-0c2d8e1b5a10';
const CLINIC = '0b7f5d8c-2a4e-4c1b-8f3d-9e6a1c2b3d4e';

const message = (payload: unknown, event = 'membership_changed') => ({ type: 'broadcast', event, payload });

describe('readMembershipChange', () => {
  it('accepts a membership_changed broadcast about this user', () => {
    expect(
      readMembershipChange(message({ user_id: USER, role: 'patient', clinic_id: CLINIC }), USER),
    ).toEqual({
      user_id: USER,
      role: 'patient',
      clinic_id: CLINIC,
    });
  });

  it.each([
    ['another event', message({ user_id: USER, role: 'admin', clinic_id: null }, 'appointment_changed')],
    ['another user', message({ user_id: CLINIC, role: 'admin', clinic_id: null })],
    ['an unknown role', message({ user_id: USER, role: 'owner', clinic_id: null })],
    ['no payload', message(undefined)],
    ['not an object', 'membership_changed'],
  ])('ignores %s', (_case, input) => {
    expect(readMembershipChange(input, USER)).toBeNull();
  });
});

describe('applyMembershipChange', () => {
  it('refreshes the session and hands the new token to Realtime before moving to the new role’s portal', async () => {
    const calls: string[] = [];
    const client = {
      auth: {
        refreshSession: async () => {
          calls.push('refreshSession');
          return { data: { session: { access_token: 'fresh' } }, error: null };
        },
      },
      realtime: { setAuth: async (token: string) => void calls.push(`setAuth:${token}`) },
    } as unknown as SupabaseClient;
    await applyMembershipChange(client, { user_id: USER, role: 'patient', clinic_id: CLINIC }, (path) =>
      calls.push(`navigate:${path}`),
    );
    expect(calls).toEqual(['refreshSession', 'setAuth:fresh', 'navigate:/patient']);
  });

  it('sends each role to its portal', () => {
    expect(portalAfterMembershipChange({ user_id: USER, role: 'admin', clinic_id: CLINIC })).toBe('/admin');
    expect(portalAfterMembershipChange({ user_id: USER, role: 'dentist', clinic_id: CLINIC })).toBe(
      '/dentist',
    );
  });
});
