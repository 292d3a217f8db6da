import { describe, expect, it } from 'vitest';
import * as localConfig from '../../supabase/local/config';
import {
  EnvError,
  LOCAL_ANON_KEY,
  LOCAL_SERVICE_ROLE_KEY,
  LOCAL_SUPABASE_URL,
  parsePublicEnv,
  parseServerEnv,
} from '@/lib/env';

const HOSTED_URL = 'https://abcdefghijklmnop.supabase.co';
const SOME_ANON_KEY = 'eyJhbGciOiJIUzI1NiJ9.hosted-anon-key.signature';
const SOME_PUBLISHABLE_KEY = 'sb_publishable_0123456789abcdefghij';
const SOME_SERVICE_KEY = 'eyJhbGciOiJIUzI1NiJ9.hosted-service-key.signature';

describe('parsePublicEnv', () => {
  it.each([
    ['nothing set', {}, LOCAL_SUPABASE_URL, LOCAL_ANON_KEY, true],
    [
      'empty strings count as unset',
      { NEXT_PUBLIC_SUPABASE_URL: '', NEXT_PUBLIC_SUPABASE_ANON_KEY: ' ' },
      LOCAL_SUPABASE_URL,
      LOCAL_ANON_KEY,
      true,
    ],
    [
      'local stack on another port',
      { NEXT_PUBLIC_SUPABASE_URL: 'http://localhost:6543/' },
      'http://localhost:6543',
      LOCAL_ANON_KEY,
      true,
    ],
    [
      'hosted project with anon key',
      { NEXT_PUBLIC_SUPABASE_URL: HOSTED_URL, NEXT_PUBLIC_SUPABASE_ANON_KEY: SOME_ANON_KEY },
      HOSTED_URL,
      SOME_ANON_KEY,
      false,
    ],
    [
      'hosted project with publishable key',
      { NEXT_PUBLIC_SUPABASE_URL: HOSTED_URL, NEXT_PUBLIC_SUPABASE_PUBLISHABLE_KEY: SOME_PUBLISHABLE_KEY },
      HOSTED_URL,
      SOME_PUBLISHABLE_KEY,
      false,
    ],
  ])('%s', (_name, raw, url, key, isLocal) => {
    expect(parsePublicEnv(raw)).toEqual({ supabaseUrl: url, supabaseKey: key, isLocal });
  });

  it.each([
    ['a hosted URL without a key', { NEXT_PUBLIC_SUPABASE_URL: HOSTED_URL }, /NEXT_PUBLIC_SUPABASE_ANON_KEY/],
    [
      'a URL that is not http(s)',
      { NEXT_PUBLIC_SUPABASE_URL: 'postgres://db.example.com:5432' },
      /NEXT_PUBLIC_SUPABASE_URL/,
    ],
    ['not a URL at all', { NEXT_PUBLIC_SUPABASE_URL: 'my-project' }, /NEXT_PUBLIC_SUPABASE_URL/],
    ['a truncated key', { NEXT_PUBLIC_SUPABASE_ANON_KEY: 'abc' }, /NEXT_PUBLIC_SUPABASE_ANON_KEY/],
  ])('rejects %s', (_name, raw, message) => {
    expect(() => parsePublicEnv(raw)).toThrow(EnvError);
    expect(() => parsePublicEnv(raw)).toThrow(message);
  });
});

describe('parseServerEnv', () => {
  it('uses the local service-role key only for the local stack', () => {
    expect(parseServerEnv({}).serviceRoleKey).toBe(LOCAL_SERVICE_ROLE_KEY);
    expect(() =>
      parseServerEnv({ NEXT_PUBLIC_SUPABASE_URL: HOSTED_URL, NEXT_PUBLIC_SUPABASE_ANON_KEY: SOME_ANON_KEY }),
    ).toThrow(/SUPABASE_SERVICE_ROLE_KEY/);
  });

  it('takes the hosted service-role key from the environment', () => {
    const env = parseServerEnv({
      NEXT_PUBLIC_SUPABASE_URL: HOSTED_URL,
      NEXT_PUBLIC_SUPABASE_ANON_KEY: SOME_ANON_KEY,
      SUPABASE_SERVICE_ROLE_KEY: SOME_SERVICE_KEY,
    });
    expect(env).toEqual({
      supabaseUrl: HOSTED_URL,
      supabaseKey: SOME_ANON_KEY,
      isLocal: false,
      serviceRoleKey: SOME_SERVICE_KEY,
    });
  });
});

describe('local defaults', () => {
  it('match the local stack contract (a browser-safe copy of supabase/local/config.ts)', () => {
    expect(LOCAL_ANON_KEY).toBe(localConfig.LOCAL_ANON_KEY);
    expect(LOCAL_SERVICE_ROLE_KEY).toBe(localConfig.LOCAL_SERVICE_ROLE_KEY);
    expect(LOCAL_SUPABASE_URL).toBe(`http://${localConfig.DEFAULT_HOST}:${localConfig.DEFAULT_API_PORT}`);
  });
});
