import { describe, expect, it } from 'vitest';
import { mergeMetadata, toRfc3339, userToJson, type UserRow } from './user-json';

const BASE_ROW: UserRow = {
  id: '11111111-1111-1111-1111-111111111111',
  instance_id: '00000000-0000-0000-0000-000000000000',
  aud: 'authenticated',
  role: 'authenticated',
  email: 'a@x.test',
  phone: null,
  encrypted_password: '$2a$10$hash',
  email_confirmed_at: '2026-01-02 03:04:05.120000+00',
  invited_at: null,
  phone_confirmed_at: null,
  confirmation_token: '',
  confirmation_sent_at: null,
  confirmed_at: '2026-01-02 03:04:05.120000+00',
  recovery_token: '',
  recovery_sent_at: null,
  email_change_token_new: '',
  email_change: '',
  email_change_sent_at: null,
  phone_change: '',
  phone_change_sent_at: null,
  reauthentication_sent_at: null,
  last_sign_in_at: null,
  raw_app_meta_data: { provider: 'email', providers: ['email'] },
  raw_user_meta_data: null,
  created_at: '2026-01-02 03:04:05+00',
  updated_at: '2026-01-02 03:04:05.5+00',
  banned_until: null,
  deleted_at: null,
  is_anonymous: false,
  is_sso_user: false,
};

describe('toRfc3339', () => {
  it.each([
    ['2026-01-02 03:04:05.120000+00', '2026-01-02T03:04:05.12Z'],
    ['2026-01-02 03:04:05+00', '2026-01-02T03:04:05Z'],
    ['2026-01-02 03:04:05.000000+00', '2026-01-02T03:04:05Z'],
    ['2026-01-02 03:04:05.123456', '2026-01-02T03:04:05.123456Z'],
    // A non-UTC offset is converted, not relabelled: 05:04 at +02 is 03:04 UTC.
    ['2026-01-02 05:04:05+02', '2026-01-02T03:04:05.000Z'],
  ])('%s → %s', (input, expected) => {
    expect(toRfc3339(input)).toBe(expected);
  });
});

describe('userToJson', () => {
  it('omits null optional fields, keeps "" for a missing phone and never exposes secrets', () => {
    const json = userToJson(BASE_ROW, []);
    expect(Object.keys(json)).toEqual([
      'id',
      'aud',
      'role',
      'email',
      'email_confirmed_at',
      'phone',
      'confirmed_at',
      'app_metadata',
      'user_metadata',
      'identities',
      'created_at',
      'updated_at',
      'is_anonymous',
    ]);
    expect(json).toMatchObject({
      phone: '',
      user_metadata: {},
      identities: [],
      updated_at: '2026-01-02T03:04:05.5Z',
    });
    expect(JSON.stringify(json)).not.toContain('hash');
  });

  it('shows a pending e-mail change as new_email', () => {
    const json = userToJson(
      { ...BASE_ROW, email_change: 'b@x.test', email_change_sent_at: '2026-01-03 00:00:00+00' },
      [],
    );
    expect(json).toMatchObject({ new_email: 'b@x.test', email_change_sent_at: '2026-01-03T00:00:00Z' });
  });
});

describe('mergeMetadata', () => {
  it('sets keys, deletes null keys and leaves the rest', () => {
    expect(mergeMetadata({ a: 1, b: 2 }, { b: null, c: { d: 1 } })).toEqual({ a: 1, c: { d: 1 } });
    expect(mergeMetadata(null, { a: 1 })).toEqual({ a: 1 });
  });
});
