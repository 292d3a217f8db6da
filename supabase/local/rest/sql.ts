/**
 * SQL text building blocks. Every identifier that reaches SQL goes through `ident` (double-quoted,
 * embedded quotes doubled) and every value through `SqlParams.add` (a `$n` placeholder): request
 * input is never spliced into SQL text.
 */
import { Errors } from './errors';

/**
 * PostgreSQL text can never hold NUL: in a value it is a 22021 error from the server, but inside the
 * SQL text it would corrupt the protocol message (08P01, a 503). Identifiers come from the request
 * (`select=na%00me`), so they fail here with the same 400 a NUL in a value gets.
 */
export function rejectNul(text: string): string {
  if (text.includes('\0')) throw Errors.nulCharacter();
  return text;
}

export function ident(name: string): string {
  return '"' + rejectNul(name).replace(/"/g, '""') + '"';
}

export function qualified(schema: string, name: string): string {
  return `${ident(schema)}.${ident(name)}`;
}

/** Collects bound values and hands out their placeholders. */
export class SqlParams {
  readonly values: unknown[] = [];

  add(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }

  /** A placeholder with an explicit type, for operators that would be ambiguous on `unknown`. */
  addAs(value: unknown, type: 'text' | 'json' | 'jsonb' | 'integer' | 'regconfig'): string {
    return `${this.add(value)}::${type}`;
  }
}

/** Type names from the request (`col::int`) are spliced as SQL, so only plain type words pass. */
const CAST_TYPE = /^[A-Za-z_][A-Za-z0-9_]*( [A-Za-z_][A-Za-z0-9_]*)*(\[\])?$/;

export function isSafeCastType(type: string): boolean {
  return CAST_TYPE.test(type) && type.length <= 63;
}
