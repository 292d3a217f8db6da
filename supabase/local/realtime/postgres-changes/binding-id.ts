/**
 * Stable binding ids. Hosted uses `:erlang.phash2(params)` (an integer in 0..2^27-1) of the binding
 * map, so identical bindings get identical ids; we hash a canonical JSON of the binding the same way.
 */
const ID_SPACE = 2 ** 27;

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** 32-bit FNV-1a over UTF-8, folded into phash2's range. */
export function computeBindingId(binding: object): number {
  const bytes = Buffer.from(canonical(binding), 'utf8');
  let h = 0x811c9dc5;
  for (const b of bytes) {
    h ^= b;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h % ID_SPACE;
}
