import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  activeHolds,
  appointmentDelta,
  applySnapshot,
  broadcastChangesEnvelope,
  emptyStore,
  holdDelta,
  mergeById,
  parseScheduleMessage,
  REALTIME_EVENTS,
  type TAppointmentChanged,
  type TAppointmentRow,
  type THoldChanged,
} from '@/lib/realtime';

const CLINIC = '3f1c6a52-6a0e-4b8e-9a51-0c7d2b9e8a11';
const DENTIST = '9b2d8c1e-1f3a-4c5b-8d7e-2a6f4b3c9d01';
const OTHER_DENTIST = '5e4f3a2b-7c6d-4e8f-9a0b-1c2d3e4f5a6b';
const PATIENT = '7a8b9c0d-1e2f-4a3b-8c4d-5e6f7a8b9c0d';
const SERVICE = '1c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f';
const APPOINTMENT = '2b3c4d5e-6f7a-4b8c-9d0e-1f2a3b4c5d6e';
const HOLD = '4d5e6f7a-8b9c-4d0e-8f1a-2b3c4d5e6f7a';

/** Shaped like private.broadcast_appointment_change() builds it (see the realtime topics migration). */
function appointmentPayload(overrides: Partial<TAppointmentChanged> = {}): TAppointmentChanged {
  return {
    operation: 'INSERT',
    id: APPOINTMENT,
    clinic_id: CLINIC,
    dentist_id: DENTIST,
    patient_id: PATIENT,
    service_id: SERVICE,
    status: 'scheduled',
    source: 'chatbot',
    version: 1,
    starts_at: '2026-03-27T09:00:00+00:00',
    ends_at: '2026-03-27T09:30:00+00:00',
    old: null,
    ...overrides,
  };
}

function holdPayload(overrides: Partial<THoldChanged> = {}): THoldChanged {
  return {
    operation: 'INSERT',
    id: HOLD,
    clinic_id: CLINIC,
    dentist_id: DENTIST,
    service_id: SERVICE,
    held_by: PATIENT,
    starts_at: '2026-03-27T10:00:00+00:00',
    ends_at: '2026-03-27T10:30:00+00:00',
    expires_at: '2026-03-27T09:05:00+00:00',
    ...overrides,
  };
}

describe('parseScheduleMessage', () => {
  it('accepts an appointment change as supabase-js delivers it', () => {
    const parsed = parseScheduleMessage({
      type: 'broadcast',
      event: 'appointment_changed',
      payload: appointmentPayload(),
      meta: { id: 'm1' },
    });
    expect(parsed).toMatchObject({
      ok: true,
      event: REALTIME_EVENTS.appointmentChanged,
      payload: { id: APPOINTMENT, version: 1 },
    });
  });

  it('accepts slots_changed with the id realtime.send adds, and strips it', () => {
    const parsed = parseScheduleMessage({
      type: 'broadcast',
      event: 'slots_changed',
      payload: {
        dentist_id: DENTIST,
        from: '2026-03-27T09:00:00+00:00',
        to: '2026-03-27T09:30:00+00:00',
        until: null,
        id: '0b1c2d3e-4f5a-4b6c-8d7e-9f0a1b2c3d4e',
      },
    });
    expect(parsed).toEqual({
      ok: true,
      event: 'slots_changed',
      payload: {
        dentist_id: DENTIST,
        from: '2026-03-27T09:00:00+00:00',
        to: '2026-03-27T09:30:00+00:00',
        until: null,
      },
    });
  });

  it.each<[string, unknown, string]>([
    ['not an object', 'hello', 'invalid_message'],
    ['no event', { type: 'broadcast', payload: {} }, 'invalid_message'],
    ['an unknown event', { type: 'broadcast', event: 'lock_claimed', payload: {} }, 'unknown_event'],
    ['a prototype key as event', { type: 'broadcast', event: 'toString', payload: {} }, 'unknown_event'],
    [
      'a payload missing the version',
      {
        type: 'broadcast',
        event: 'appointment_changed',
        payload: { ...appointmentPayload(), version: undefined },
      },
      'invalid_payload',
    ],
    [
      'an unknown status',
      {
        type: 'broadcast',
        event: 'appointment_changed',
        payload: appointmentPayload({ status: 'lost' as never }),
      },
      'invalid_payload',
    ],
    [
      'a hold without expiry',
      { type: 'broadcast', event: 'hold_changed', payload: { ...holdPayload(), expires_at: undefined } },
      'invalid_payload',
    ],
  ])('rejects %s', (_name, message, code) => {
    expect(parseScheduleMessage(message)).toMatchObject({ ok: false, code });
  });
});

describe('broadcastChangesEnvelope', () => {
  const ZRow = z.object({ id: z.string(), version: z.number() });
  const ZEnvelope = broadcastChangesEnvelope(ZRow);

  it.each([
    ['INSERT', { id: 'a', version: 1 }, null],
    ['UPDATE', { id: 'a', version: 2 }, { id: 'a', version: 1 }],
    ['DELETE', null, { id: 'a', version: 2 }],
  ] as const)('parses %s', (operation, record, oldRecord) => {
    const parsed = ZEnvelope.safeParse({
      schema: 'public',
      table: 'appointments',
      operation,
      record,
      old_record: oldRecord,
      id: 'msg-1',
    });
    expect(parsed.success).toBe(true);
  });

  it('rejects an unknown operation and a malformed record', () => {
    expect(
      ZEnvelope.safeParse({
        schema: 'public',
        table: 't',
        operation: 'TRUNCATE',
        record: null,
        old_record: null,
      }).success,
    ).toBe(false);
    expect(
      ZEnvelope.safeParse({
        schema: 'public',
        table: 't',
        operation: 'INSERT',
        record: { id: 1 },
        old_record: null,
      }).success,
    ).toBe(false);
  });
});

describe('appointmentDelta', () => {
  const receivedAt = 1_000;

  it.each<[string, TAppointmentChanged, Parameters<typeof appointmentDelta>[1], 'upsert' | 'remove']>([
    ['insert', appointmentPayload(), { receivedAt }, 'upsert'],
    ['delete', appointmentPayload({ operation: 'DELETE', version: 3 }), { receivedAt }, 'remove'],
    [
      'cancel shown as a mark by default',
      appointmentPayload({ operation: 'UPDATE', status: 'cancelled', version: 2 }),
      { receivedAt },
      'upsert',
    ],
    [
      'cancel removed from a calendar',
      appointmentPayload({ operation: 'UPDATE', status: 'cancelled', version: 2 }),
      { receivedAt, onCancel: 'remove' },
      'remove',
    ],
    [
      'late cancel removed from a calendar',
      appointmentPayload({ operation: 'UPDATE', status: 'late_cancel', version: 2 }),
      { receivedAt, onCancel: 'remove' },
      'remove',
    ],
    [
      'no-show stays on a calendar',
      appointmentPayload({ operation: 'UPDATE', status: 'no_show', version: 2 }),
      { receivedAt, onCancel: 'remove' },
      'upsert',
    ],
    [
      'moved to another dentist leaves this dentist’s view',
      appointmentPayload({ operation: 'UPDATE', dentist_id: OTHER_DENTIST, version: 2 }),
      { receivedAt, isInScope: (row) => row.dentist_id === DENTIST },
      'remove',
    ],
  ])('%s → %s', (_name, payload, options, kind) => {
    const delta = appointmentDelta(payload, options);
    expect(delta.kind).toBe(kind);
    if (delta.kind === 'upsert') {
      expect(delta.row).not.toHaveProperty('operation');
      expect(delta.row).not.toHaveProperty('old');
    } else {
      expect(delta.version).toBe(payload.version);
    }
  });

  it('a dentist calendar follows a reschedule away and back', () => {
    const isInScope = (row: TAppointmentRow) => row.dentist_id === DENTIST;
    const { operation: _operation, old: _old, ...snapshotRow } = appointmentPayload();
    let state = applySnapshot(emptyStore<TAppointmentRow>(), [snapshotRow], 0);
    state = mergeById(
      state,
      appointmentDelta(appointmentPayload({ operation: 'UPDATE', dentist_id: OTHER_DENTIST, version: 2 }), {
        receivedAt: 10,
        isInScope,
      }),
    );
    expect(state.rows).toHaveLength(0);
    state = mergeById(
      state,
      appointmentDelta(
        appointmentPayload({ operation: 'UPDATE', version: 3, starts_at: '2026-03-27T11:00:00+00:00' }),
        { receivedAt: 20, isInScope },
      ),
    );
    expect(state.rows.map((r) => [r.version, r.starts_at])).toEqual([[3, '2026-03-27T11:00:00+00:00']]);
  });
});

function never(): never {
  throw new Error('unreachable');
}

describe('holdDelta and activeHolds', () => {
  it('a released hold cannot come back from a late duplicate insert', () => {
    let state = emptyStore<ReturnType<typeof holdRow>>();
    state = mergeById(state, holdDelta(holdPayload(), 1));
    state = mergeById(state, holdDelta(holdPayload({ operation: 'DELETE' }), 2));
    state = mergeById(state, holdDelta(holdPayload(), 3));
    expect(state.rows).toHaveLength(0);
  });

  it('an extended hold replaces the earlier one (holds have no version)', () => {
    let state = emptyStore<ReturnType<typeof holdRow>>();
    state = mergeById(state, holdDelta(holdPayload(), 1));
    state = mergeById(
      state,
      holdDelta(holdPayload({ operation: 'UPDATE', expires_at: '2026-03-27T09:10:00+00:00' }), 2),
    );
    expect(state.rows.map((r) => r.expires_at)).toEqual(['2026-03-27T09:10:00+00:00']);
  });

  it.each([
    ['2026-03-27T09:04:59Z', 1],
    ['2026-03-27T09:05:00Z', 0],
  ])('at %s, %i hold(s) still count', (now, count) => {
    expect(activeHolds([holdRow()], Date.parse(now))).toHaveLength(count);
  });
});

function holdRow() {
  const delta = holdDelta(holdPayload(), 0);
  if (delta.kind !== 'upsert') return never();
  return delta.row;
}
