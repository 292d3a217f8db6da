import { describe, expect, it } from 'vitest';
import {
  affectsWindow,
  connectionReducer,
  deriveConnectionStatus,
  fallbackPollDelay,
  FALLBACK_POLL_INTERVAL_MS,
  initialConnectionState,
  refetchAtHoldExpiry,
  shouldRefetchOnChannelStatus,
  shouldRefetchOnVisibility,
  type TConnectionEvent,
  type TConnectionStatus,
} from '@/lib/realtime';

describe('deriveConnectionStatus', () => {
  it.each<[string, Parameters<typeof deriveConnectionStatus>[0], TConnectionStatus]>([
    [
      'open socket, all channels subscribed',
      { socket: 'open', channels: { a: 'SUBSCRIBED', b: 'SUBSCRIBED' }, isOnline: true },
      'connected',
    ],
    ['open socket, no channels yet', { socket: 'open', channels: {}, isOnline: true }, 'connected'],
    [
      'socket connecting',
      { socket: 'connecting', channels: { a: 'SUBSCRIBED' }, isOnline: true },
      'reconnecting',
    ],
    ['socket closed', { socket: 'closed', channels: {}, isOnline: true }, 'reconnecting'],
    [
      'one channel joining',
      { socket: 'open', channels: { a: 'SUBSCRIBED', b: 'JOINING' }, isOnline: true },
      'reconnecting',
    ],
    [
      'one channel errored',
      { socket: 'open', channels: { a: 'SUBSCRIBED', b: 'CHANNEL_ERROR' }, isOnline: true },
      'reconnecting',
    ],
    [
      'one channel timed out',
      { socket: 'open', channels: { a: 'TIMED_OUT' }, isOnline: true },
      'reconnecting',
    ],
    [
      'one channel closed by the server',
      { socket: 'open', channels: { a: 'CLOSED' }, isOnline: true },
      'reconnecting',
    ],
    [
      'browser offline beats everything',
      { socket: 'open', channels: { a: 'SUBSCRIBED' }, isOnline: false },
      'offline',
    ],
  ])('%s → %s', (_name, input, expected) => {
    expect(deriveConnectionStatus(input)).toBe(expected);
  });
});

describe('connectionReducer', () => {
  const run = (events: TConnectionEvent[], isOnline = true) =>
    events.reduce(connectionReducer, initialConnectionState(isOnline));

  it.each<[string, TConnectionEvent[], TConnectionStatus]>([
    ['starts reconnecting until the socket opens', [], 'reconnecting'],
    [
      'socket open, channel subscribed',
      [
        { type: 'socket', state: 'open' },
        { type: 'channel', topic: 't', status: 'SUBSCRIBED' },
      ],
      'connected',
    ],
    [
      'a dropped socket with its channels erroring',
      [
        { type: 'socket', state: 'open' },
        { type: 'channel', topic: 't', status: 'SUBSCRIBED' },
        { type: 'socket', state: 'closed' },
        { type: 'channel', topic: 't', status: 'CHANNEL_ERROR' },
      ],
      'reconnecting',
    ],
    [
      'recovers after rejoin',
      [
        { type: 'socket', state: 'open' },
        { type: 'channel', topic: 't', status: 'CHANNEL_ERROR' },
        { type: 'channel', topic: 't', status: 'SUBSCRIBED' },
      ],
      'connected',
    ],
    [
      'a removed channel no longer counts',
      [
        { type: 'socket', state: 'open' },
        { type: 'channel', topic: 'a', status: 'SUBSCRIBED' },
        { type: 'channel', topic: 'b', status: 'CLOSED' },
        { type: 'channel_removed', topic: 'b' },
      ],
      'connected',
    ],
    [
      'network lost',
      [
        { type: 'socket', state: 'open' },
        { type: 'network', isOnline: false },
      ],
      'offline',
    ],
    [
      'network back but socket not yet reconnected',
      [
        { type: 'socket', state: 'open' },
        { type: 'network', isOnline: false },
        { type: 'socket', state: 'closed' },
        { type: 'network', isOnline: true },
      ],
      'reconnecting',
    ],
  ])('%s', (_name, events, expected) => {
    expect(run(events).status).toBe(expected);
  });

  it('starts offline when the browser is offline', () => {
    expect(initialConnectionState(false).status).toBe('offline');
  });

  it('returns the same object for events that change nothing, and never mutates', () => {
    const state = run([
      { type: 'socket', state: 'open' },
      { type: 'channel', topic: 't', status: 'SUBSCRIBED' },
    ]);
    const frozen = JSON.stringify(state);
    expect(connectionReducer(state, { type: 'socket', state: 'open' })).toBe(state);
    expect(connectionReducer(state, { type: 'channel', topic: 't', status: 'SUBSCRIBED' })).toBe(state);
    expect(connectionReducer(state, { type: 'channel_removed', topic: 'other' })).toBe(state);
    expect(connectionReducer(state, { type: 'network', isOnline: true })).toBe(state);
    connectionReducer(state, { type: 'channel', topic: 't', status: 'CLOSED' });
    expect(JSON.stringify(state)).toBe(frozen);
  });
});

describe('re-fetch policy', () => {
  it.each<
    [
      Parameters<typeof shouldRefetchOnChannelStatus>[0],
      Parameters<typeof shouldRefetchOnChannelStatus>[1],
      boolean,
    ]
  >([
    [undefined, 'SUBSCRIBED', true],
    ['JOINING', 'SUBSCRIBED', true],
    ['CHANNEL_ERROR', 'SUBSCRIBED', true],
    ['TIMED_OUT', 'SUBSCRIBED', true],
    ['CLOSED', 'SUBSCRIBED', true],
    ['SUBSCRIBED', 'SUBSCRIBED', false],
    ['SUBSCRIBED', 'CHANNEL_ERROR', false],
    ['SUBSCRIBED', 'CLOSED', false],
  ])('channel %s → %s: re-fetch %s', (previous, next, expected) => {
    expect(shouldRefetchOnChannelStatus(previous, next)).toBe(expected);
  });

  it.each<['visible' | 'hidden', 'visible' | 'hidden', boolean]>([
    ['hidden', 'visible', true],
    ['visible', 'hidden', false],
    ['visible', 'visible', false],
    ['hidden', 'hidden', false],
  ])('tab %s → %s: re-fetch %s', (previous, next, expected) => {
    expect(shouldRefetchOnVisibility(previous, next)).toBe(expected);
  });

  it.each<[TConnectionStatus, number | null, number, number | null]>([
    ['connected', 0, 60_000, null],
    ['offline', 0, 60_000, null],
    ['reconnecting', null, 5_000, 0],
    ['reconnecting', 10_000, 10_000, FALLBACK_POLL_INTERVAL_MS],
    ['reconnecting', 10_000, 25_000, 15_000],
    ['reconnecting', 10_000, 90_000, 0],
  ])('poll while %s (last fetch %s, now %i) → %s', (status, lastFetchedAt, now, expected) => {
    expect(fallbackPollDelay(status, lastFetchedAt, now)).toBe(expected);
  });

  it('polls every 30 s', () => {
    expect(FALLBACK_POLL_INTERVAL_MS).toBe(30_000);
  });

  it.each<[string, Parameters<typeof affectsWindow>[0], boolean]>([
    ['overlapping', { dentist_id: 'd1', from: '2026-03-27T09:00:00Z', to: '2026-03-27T10:00:00Z' }, true],
    [
      'touching the end is outside ([from, to))',
      { dentist_id: 'd1', from: '2026-03-28T00:00:00Z', to: '2026-03-28T01:00:00Z' },
      false,
    ],
    [
      'before the view',
      { dentist_id: 'd1', from: '2026-03-26T09:00:00Z', to: '2026-03-26T10:00:00Z' },
      false,
    ],
    ['a weekly rule (unbounded)', { dentist_id: 'd1', from: null, to: null }, true],
    [
      'another dentist',
      { dentist_id: 'd2', from: '2026-03-27T09:00:00Z', to: '2026-03-27T10:00:00Z' },
      false,
    ],
    [
      'offsets compared as instants',
      { dentist_id: 'd1', from: '2026-03-28T00:30:00+01:00', to: '2026-03-28T01:30:00+01:00' },
      true,
    ],
  ])('slots change %s → affects view %s', (_name, change, expected) => {
    expect(
      affectsWindow(change, { from: '2026-03-27T00:00:00Z', to: '2026-03-28T00:00:00Z', dentistId: 'd1' }),
    ).toBe(expected);
  });

  it.each<[string | null | undefined, number | null]>([
    ['2026-03-27T09:05:00Z', Date.parse('2026-03-27T09:05:00Z')],
    ['2026-03-27T08:55:00Z', null],
    [null, null],
    [undefined, null],
    ['not a date', null],
  ])('a hold lapsing at %s re-fetches at %s', (until, expected) => {
    expect(refetchAtHoldExpiry({ until }, Date.parse('2026-03-27T09:00:00Z'))).toBe(expected);
  });
});
