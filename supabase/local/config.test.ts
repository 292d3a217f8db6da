import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readProjectAuthConfig } from './config';

function tomlFile(text: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'config-toml-'));
  const file = path.join(dir, 'config.toml');
  fs.writeFileSync(file, text);
  return file;
}

describe('readProjectAuthConfig', () => {
  it('reads the project’s config.toml: IP forwarding on, 30 sign-ins per IP', () => {
    expect(readProjectAuthConfig()).toMatchObject({
      sbForwardedForEnabled: true,
      signInSignUpsPerWindow: 30,
    });
  });

  it('falls back to the CLI defaults (forwarding off) for missing keys', () => {
    expect(readProjectAuthConfig(tomlFile('[auth]\nenabled = true\n'))).toEqual({
      passwordMinLength: 6,
      refreshTokenReuseIntervalSeconds: 10,
      mailerAutoconfirm: true,
      anonymousSignInsEnabled: false,
      disableSignup: false,
      signInSignUpsPerWindow: 30,
      sbForwardedForEnabled: false,
    });
  });

  it('rejects a value of the wrong type with the key named', () => {
    expect(() =>
      readProjectAuthConfig(tomlFile('[auth]\nsecurity_sb_forwarded_for_enabled = "yes"\n')),
    ).toThrow(/security_sb_forwarded_for_enabled/);
  });
});
