import { describe, expect, it } from 'vitest';
import { isProtectedPath, safeNextPath, signInPathFor, withNotice } from '@/lib/routes';

describe('isProtectedPath', () => {
  it.each([
    ['/patient', true],
    ['/patient/appointments', true],
    ['/dentist', true],
    ['/admin/board', true],
    ['/administrator', false],
    ['/', false],
    ['/sign-in', false],
  ])('%s → %s', (path, expected) => {
    expect(isProtectedPath(path)).toBe(expected);
  });
});

describe('safeNextPath', () => {
  it.each([
    ['/patient', '/patient'],
    ['/admin/board?day=2026-03-29#now', '/admin/board?day=2026-03-29#now'],
    ['//evil.example/phish', null],
    ['/\\evil.example', null],
    ['https://evil.example/', null],
    ['javascript:alert(1)', null],
    ['patient', null],
    ['/patient\n', null],
    ['', null],
    [undefined, null],
    [['/patient'], null],
    [`/${'a'.repeat(600)}`, null],
  ])('%j → %j', (raw, expected) => {
    expect(safeNextPath(raw)).toBe(expected);
  });
});

describe('signInPathFor / withNotice', () => {
  it('carries the way back through sign-in', () => {
    expect(signInPathFor('/admin?tab=live')).toBe('/sign-in?next=%2Fadmin%3Ftab%3Dlive');
    expect(signInPathFor('/')).toBe('/sign-in');
    expect(signInPathFor('//evil.example')).toBe('/sign-in');
  });

  it('adds the notice to existing queries', () => {
    expect(withNotice('/sign-in', 'signed-out')).toBe('/sign-in?notice=signed-out');
    expect(withNotice('/admin?tab=live', 'signed-in')).toBe('/admin?tab=live&notice=signed-in');
  });
});
