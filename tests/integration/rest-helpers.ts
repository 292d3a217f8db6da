/**
 * Raw HTTP access to `/rest/v1` for the cases supabase-js cannot express (malformed input, Range
 * headers, exact response headers), and the error-body shape every failure must have.
 */
import { expect } from 'vitest';
import { stackInfo } from '../helpers/stack';

export async function restFetch(path: string, init: RequestInit & { headers?: Record<string, string> } = {}) {
  const s = stackInfo();
  const res = await fetch(`${s.apiUrl}/rest/v1/${path}`, {
    ...init,
    headers: { apikey: s.anonKey, Authorization: `Bearer ${s.anonKey}`, ...(init.headers ?? {}) },
  });
  const text = await res.text();
  let json: unknown;
  try {
    json = text === '' ? undefined : JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, text, json };
}

/** `{code, details, hint, message}` — exactly these keys, with a string code and message. */
export function expectErrorShape(body: unknown): void {
  expect(body).toBeTypeOf('object');
  expect(Object.keys(body as object).sort()).toEqual(['code', 'details', 'hint', 'message']);
  const b = body as Record<string, unknown>;
  expect(typeof b.code).toBe('string');
  expect(typeof b.message).toBe('string');
}
