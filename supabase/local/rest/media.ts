/**
 * Response media types (the `Accept` header) and the CSV rendering of a JSON array body.
 */
import { Errors } from './errors';

export interface MediaChoice {
  kind: 'json' | 'object' | 'csv';
  stripNulls: boolean;
  contentType: string;
}

const JSON_TYPE = 'application/json; charset=utf-8';

/** The first acceptable type of the Accept list wins. */
export function negotiate(accept: string | undefined): MediaChoice {
  if (!accept || accept.trim() === '') return { kind: 'json', stripNulls: false, contentType: JSON_TYPE };
  for (const part of accept.split(',')) {
    const [type, ...paramParts] = part.split(';').map((s) => s.trim().toLowerCase());
    const stripNulls = paramParts.includes('nulls=stripped');
    switch (type) {
      case 'application/json':
      case 'application/*':
      case '*/*':
        return { kind: 'json', stripNulls: false, contentType: JSON_TYPE };
      case 'application/vnd.pgrst.array+json':
      case 'application/vnd.pgrst.array':
        return {
          kind: 'json',
          stripNulls,
          contentType: stripNulls
            ? 'application/vnd.pgrst.array+json; nulls=stripped; charset=utf-8'
            : JSON_TYPE,
        };
      case 'application/vnd.pgrst.object+json':
      case 'application/vnd.pgrst.object':
        return {
          kind: 'object',
          stripNulls,
          contentType: `application/vnd.pgrst.object+json;${stripNulls ? ' nulls=stripped;' : ''} charset=utf-8`,
        };
      case 'text/csv':
        return { kind: 'csv', stripNulls: false, contentType: 'text/csv; charset=utf-8' };
    }
  }
  throw Errors.notAcceptable(accept);
}

function csvCell(v: unknown): string {
  if (v === null || v === undefined) return '';
  const s = typeof v === 'object' ? JSON.stringify(v) : String(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Header row from the first row's keys, then one line per row; NULL is an empty cell. A function
 * can return a scalar or a single composite instead of rows: a composite is one row, a scalar (or an
 * array of scalars) is one cell per line without a header.
 */
export function toCsv(body: unknown): string {
  const rows = Array.isArray(body) ? body : [body];
  if (rows.length === 0) return '';
  if (!rows.every(isRecord)) return rows.map(csvCell).join('\n');
  const keys = Object.keys(rows[0]);
  const lines = [keys.map(csvCell).join(',')];
  for (const r of rows) lines.push(keys.map((k) => csvCell(r[k])).join(','));
  return lines.join('\n');
}
