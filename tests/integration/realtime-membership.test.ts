/**
 * A role or clinic change reaches Realtime at once (migration
 * 20261207000300_reauthorize_realtime_on_membership_change.sql): the member's joined private
 * channels are re-checked and closed when no longer allowed, and the member's own topic announces
 * the change so the browser can refresh its session and move to the right portal.
 */
import type { RealtimeChannel, SupabaseClient } from '@supabase/supabase-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RPC } from '@/lib/domain/appointments';
import { REALTIME_EVENTS, topics, ZMembershipChanged } from '@/lib/domain/realtime';
import { withDb } from '../helpers/stack';
import { createWorld, type TWorld } from './domain-fixtures';
import { EventLog, joinError } from './realtime-helpers';

type SystemMessage = { extension: string; status: string; message: string };

let world: TWorld;

function clientOf(who: { client?: SupabaseClient }): SupabaseClient {
  if (!who.client) throw new Error('the world was not created via the Auth API');
  return who.client;
}

beforeAll(async () => {
  world = await withDb((db) => createWorld(db, { viaAuth: true }));
});

afterAll(async () => {
  for (const who of [world.admin, world.dentist, world.patient, world.otherPatient])
    await who.client?.removeAllChannels();
});

/** Joins a private topic and records its system messages and statuses. */
async function join(client: SupabaseClient, topic: string) {
  const channel: RealtimeChannel = client.channel(topic, { config: { private: true } });
  const system = new EventLog<SystemMessage>();
  const status = new EventLog<string>();
  const broadcasts = new EventLog<{ event: string; payload: unknown }>();
  channel.on('system', {}, system.push).on('broadcast', { event: '*' }, broadcasts.push);
  channel.subscribe((s) => status.push(s));
  await status.waitFor((s) => s === 'SUBSCRIBED', `SUBSCRIBED on ${topic}`);
  return { channel, system, status, broadcasts };
}

async function setRole(userId: string, role: 'patient' | 'dentist' | 'admin'): Promise<void> {
  const { error } = await clientOf(world.admin).rpc(RPC.setMemberRole, { p_user_id: userId, p_role: role });
  expect(error).toBeNull();
}

describe('membership changes re-authorize Realtime', () => {
  it('an admin demoted to patient loses the clinic schedule at once, and is told about the change', async () => {
    // The patient is promoted to admin and joins the admin-only schedule and their member topic.
    const person = world.otherPatient;
    const client = clientOf(person);
    await setRole(person.userId, 'admin');
    const member = await join(client, topics.memberMembership(person.userId));
    const schedule = await join(client, topics.clinicSchedule(world.clinicId));

    await setRole(person.userId, 'patient');

    expect(await schedule.system.waitFor((m) => m.status === 'error', 'schedule shutdown')).toMatchObject({
      extension: 'system',
      message: `You no longer have permission to read from this Channel topic: ${topics.clinicSchedule(world.clinicId)}`,
    });
    await schedule.status.waitFor((s) => s === 'CLOSED', 'schedule CLOSED');
    const announced = await member.broadcasts.waitFor(
      (m) => m.event === REALTIME_EVENTS.membershipChanged,
      'membership_changed',
    );
    expect(ZMembershipChanged.parse(announced.payload)).toEqual({
      user_id: person.userId,
      role: 'patient',
      clinic_id: world.clinicId,
    });
    // The member topic itself stays: it is about the user, not the role.
    expect(member.status.items).not.toContain('CLOSED');
    const again = client.channel(topics.clinicSchedule(world.clinicId), { config: { private: true } });
    expect((await joinError(client, again)).message).toMatch(/^Unauthorized: /);
  });

  it('a dentist made patient loses the staff topic, while a change that keeps access closes nothing', async () => {
    const client = clientOf(world.dentist);
    const staff = await join(client, topics.clinicStaff(world.clinicId));
    const own = await join(client, topics.patientAppointments(world.dentist.userId));

    await setRole(world.dentist.userId, 'patient');
    await staff.status.waitFor((s) => s === 'CLOSED', 'staff CLOSED');
    expect(staff.system.items.at(-1)?.message).toMatch(/^You no longer have permission to read/);

    // Their own appointments topic is readable by a patient too: re-checked, and kept.
    await setRole(world.dentist.userId, 'dentist');
    const member = await join(client, topics.memberMembership(world.dentist.userId));
    await setRole(world.dentist.userId, 'admin');
    await member.broadcasts.waitFor(
      (m) => (m.payload as { role?: string }).role === 'admin',
      'membership_changed to admin',
    );
    expect(own.status.items).not.toContain('CLOSED');
  });

  it('another user cannot listen to someone else’s membership topic', async () => {
    const client = clientOf(world.patient);
    const err = await joinError(
      client,
      client.channel(topics.memberMembership(world.admin.userId), { config: { private: true } }),
    );
    expect(err.message).toMatch(/^Unauthorized: /);
  });
});
