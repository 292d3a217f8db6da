/**
 * Text plumbing for the request parser: normalisation, tokens with positions, typo-tolerant comparison,
 * and a mutable "what is still unread" view so every recogniser consumes the words it used.
 */

export type TToken = { text: string; start: number; end: number };

/**
 * Lower-cases and reduces the utterance to letters, digits, ':' and '/', keeping character positions
 * meaningful for span blanking. "9.30" becomes "9:30" and "check-up" becomes "check up".
 */
export function normalizeUtterance(utterance: string): string {
  return utterance
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/(\d)\.(\d{2})\b/g, '$1:$2')
    .replace(/\b(\d{4})-(\d{2})-(\d{2})\b/g, '$1/$2/$3')
    .replace(/(\d)\s*[-\u2013\u2014]\s*(\d)/g, '$1 to $2')
    .replace(/['\u2019]/g, '')
    .replace(/[^a-z0-9:/]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

export function tokenize(text: string): TToken[] {
  const tokens: TToken[] = [];
  for (const match of text.matchAll(/[a-z0-9:/]+/g)) {
    tokens.push({ text: match[0], start: match.index, end: match.index + match[0].length });
  }
  return tokens;
}

/** Optimal-string-alignment distance: insert, delete, substitute, swap two neighbours — each costs 1. */
export function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[][] = Array.from({ length: rows }, (_, i) =>
    Array.from({ length: cols }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i < rows; i += 1) {
    for (let j = 1; j < cols; j += 1) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}

/** Typos tolerated for a word of this length: none for short words, where one slip makes another word. */
export function allowedTypos(length: number): number {
  if (length >= 7) return 2;
  if (length >= 5) return 1;
  return 0;
}

/**
 * Distance between a typed word and a known word, or null if too far to be a typo of it. Fuzzy matches must
 * share the first letter: people rarely mistype it, and it keeps "warning" from becoming "morning".
 */
export function typoDistance(typed: string, known: string): number | null {
  if (typed === known) return 0;
  if (/\d/.test(typed) || typed[0] !== known[0]) return null;
  const budget = allowedTypos(Math.min(typed.length, known.length));
  if (budget === 0 || Math.abs(typed.length - known.length) > budget) return null;
  const distance = editDistance(typed, known);
  return distance <= budget ? distance : null;
}

/** Singular form for matching "fillings" against "filling"; leaves "glass", "this" alone. */
export function singular(word: string): string {
  return word.length > 3 && word.endsWith('s') && !word.endsWith('ss') ? word.slice(0, -1) : word;
}

/**
 * The unread rest of an utterance. Recognisers `take` a regex; the matched span is blanked with spaces so
 * positions stay valid and later recognisers cannot reuse the same words.
 */
export class UnreadText {
  private current: string;

  constructor(text: string) {
    this.current = text;
  }

  get text(): string {
    return this.current;
  }

  /** First match of `pattern` (must not be global), blanked out; null if none. */
  take(pattern: RegExp): RegExpExecArray | null {
    const match = pattern.exec(this.current);
    if (!match) return null;
    this.blank(match.index, match.index + match[0].length);
    return match;
  }

  blank(start: number, end: number): void {
    this.current = this.current.slice(0, start) + ' '.repeat(end - start) + this.current.slice(end);
  }

  /** Rewrites every word through `map` (used for typo correction; positions may shift afterwards). */
  mapWords(map: (word: string) => string): void {
    this.current = this.current.replace(/[a-z0-9:/]+/g, map);
  }

  isBlank(): boolean {
    return this.current.trim() === '';
  }
}
