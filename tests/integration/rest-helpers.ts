/**
 * Raw HTTP access to `/rest/v1` for the cases supabase-js cannot express (malformed input, Range
 * headers, exact response headers).
 */
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

export const ERROR_SHAPE = {
  code: expectString(),
  message: expectString(),
};

function expectString() {
  return expect.any(String);
}

import { expect } from 'vitest';
