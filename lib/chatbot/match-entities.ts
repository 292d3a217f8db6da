/**
 * Finds the service and the dentist a request names, tolerating typos ("cleening", "Dr Patell"), spacing
 * ("check up" / "checkup") and synonyms ("hygiene" for a cleaning), and consumes the words used.
 */
import { normalizeUtterance, singular, tokenize, typoDistance, type TToken, type UnreadText } from './text';
import type { TDentistRef, TServiceRef } from './types';
import {
  CALENDAR_WORDS,
  DENTIST_SUFFIXES,
  DENTIST_TITLES,
  GENERIC_SERVICE_WORDS,
  MONTH_NAMES,
  SERVICE_SYNONYM_GROUPS,
  WEEKDAY_NAMES,
} from './vocabulary';

type TPhrase = readonly string[];

type TPhraseHit = { first: number; last: number; distance: number; size: number };

/** Compares one typed word with one known word, singular or plural; null if it is not a (typo of the) word. */
function wordDistance(typed: string, known: string): number | null {
  const direct = typoDistance(typed, known);
  const singularForm = typoDistance(singular(typed), singular(known));
  if (direct === null) return singularForm;
  if (singularForm === null) return direct;
  return Math.min(direct, singularForm);
}

/** Best occurrence of `phrase` among `tokens` (all words in a row), or null. */
function findPhrase(tokens: readonly TToken[], phrase: TPhrase): TPhraseHit | null {
  let best: TPhraseHit | null = null;
  for (let first = 0; first + phrase.length <= tokens.length; first += 1) {
    let distance = 0;
    for (let offset = 0; offset < phrase.length; offset += 1) {
      const step = wordDistance(tokens[first + offset].text, phrase[offset]);
      if (step === null) {
        distance = Number.POSITIVE_INFINITY;
        break;
      }
      distance += step;
    }
    if (Number.isFinite(distance) && (!best || distance < best.distance)) {
      best = { first, last: first + phrase.length - 1, distance, size: phrase.length };
    }
  }
  return best;
}

function phraseTokens(text: string): TPhrase {
  return normalizeUtterance(text).split(' ').filter(Boolean);
}

/** A multi-word phrase also matches its words written together: "check up" → "checkup". */
function withJoinedVariant(phrase: TPhrase): TPhrase[] {
  return phrase.length > 1 ? [phrase, [phrase.join('')]] : [phrase];
}

function isBetterHit(candidate: TPhraseHit, current: TPhraseHit | null): boolean {
  if (!current) return true;
  if (candidate.size !== current.size) return candidate.size > current.size;
  return candidate.distance < current.distance;
}

/** The phrases that identify one service: its names, their significant words, and their synonym groups. */
export function servicePhrases(service: TServiceRef): TPhrase[] {
  const names = [service.name, ...(service.aliases ?? [])]
    .map(phraseTokens)
    .filter((phrase) => phrase.length > 0);
  const phrases = new Map<string, TPhrase>();
  const add = (phrase: TPhrase) => {
    for (const variant of withJoinedVariant(phrase)) phrases.set(variant.join(' '), variant);
  };
  for (const name of names) {
    add(name);
    for (const word of name) if (word.length >= 4 && !GENERIC_SERVICE_WORDS.has(word)) add([word]);
  }
  const known = new Set([...phrases.keys()].map(singular));
  for (const group of SERVICE_SYNONYM_GROUPS) {
    if (group.some((entry) => known.has(singular(entry))))
      for (const entry of group) add(phraseTokens(entry));
  }
  return [...phrases.values()];
}

export type TServiceMatch = { service: TServiceRef };

/** The service the request names; consumes its words. Longer phrases win, then fewer typos. */
export function matchService(unread: UnreadText, services: readonly TServiceRef[]): TServiceMatch | null {
  const tokens = tokenize(unread.text);
  let best: { service: TServiceRef; hit: TPhraseHit } | null = null;
  for (const service of services) {
    for (const phrase of servicePhrases(service)) {
      const hit = findPhrase(tokens, phrase);
      if (hit && isBetterHit(hit, best?.hit ?? null)) best = { service, hit };
    }
  }
  if (!best) return null;
  unread.blank(tokens[best.hit.first].start, tokens[best.hit.last].end);
  return { service: best.service };
}

export type TDentistMatch =
  | { kind: 'any' }
  | { kind: 'named'; dentist: TDentistRef }
  | { kind: 'ambiguous'; candidates: TDentistRef[] }
  | { kind: 'unknown'; spokenName: string };

const ANY_DENTIST_PATTERNS: readonly RegExp[] = [
  /\bany (?:available )?(?:dentist|doctor|dr|hygienist|clinician|one|body)\b/,
  /\b(?:anyone|anybody|whoever|no preference)\b/,
  /\bwhichever (?:dentist|doctor|one)\b/,
  /\b(?:dont|do not|doesnt|does not) (?:mind|matter|care) (?:who|which)\b/,
];

/** Words that look like names after "Dr" but are not: "any doctor tomorrow", "dr available". */
const CALENDAR_WORD_SET: ReadonlySet<string> = new Set([
  ...CALENDAR_WORDS,
  ...MONTH_NAMES,
  'may',
  'next',
  'this',
  'on',
  'at',
  'in',
  'for',
]);

function nameTokens(name: string): TPhrase {
  return phraseTokens(name).filter((word) => !DENTIST_TITLES.has(word) && !DENTIST_SUFFIXES.has(word));
}

/**
 * A name word that is also a calendar word ("May", "June") counts only right after a title or "with",
 * so "in May" stays a month while "Dr May" and "with May" are the dentist.
 */
function needsTitle(word: string): boolean {
  return CALENDAR_WORD_SET.has(word) || (WEEKDAY_NAMES as readonly string[]).includes(word);
}

function isTitled(tokens: readonly TToken[], index: number): boolean {
  const previous = tokens[index - 1]?.text;
  return previous !== undefined && (DENTIST_TITLES.has(previous) || previous === 'with');
}

/** The dentist the request names (or "any dentist"); consumes the words used, including a title. */
export function matchDentist(unread: UnreadText, dentists: readonly TDentistRef[]): TDentistMatch | null {
  for (const pattern of ANY_DENTIST_PATTERNS) {
    if (unread.take(pattern)) return { kind: 'any' };
  }
  const tokens = tokenize(unread.text);
  type TCandidate = { dentist: TDentistRef; hit: TPhraseHit };
  const candidates: TCandidate[] = [];
  for (const dentist of dentists) {
    const names = [dentist.name, ...(dentist.aliases ?? [])]
      .map(nameTokens)
      .filter((phrase) => phrase.length > 0);
    let best: TPhraseHit | null = null;
    for (const name of names) {
      const phrases: TPhrase[] = [...withJoinedVariant(name), ...name.map((word) => [word])];
      for (const phrase of phrases) {
        const hit = findPhrase(tokens, phrase);
        if (!hit) continue;
        if (phrase.length === 1 && needsTitle(phrase[0]) && !isTitled(tokens, hit.first)) continue;
        if (isBetterHit(hit, best)) best = hit;
      }
    }
    if (best) candidates.push({ dentist, hit: best });
  }

  if (candidates.length > 0) {
    const top = candidates.reduce((a, b) => (isBetterHit(b.hit, a.hit) ? b : a));
    const tied = candidates.filter((c) => c.hit.size === top.hit.size && c.hit.distance === top.hit.distance);
    const first = tokens[top.hit.first];
    const start =
      isTitled(tokens, top.hit.first) && tokens[top.hit.first - 1].text !== 'with'
        ? tokens[top.hit.first - 1].start
        : first.start;
    unread.blank(start, tokens[top.hit.last].end);
    if (tied.length > 1) return { kind: 'ambiguous', candidates: tied.map((c) => c.dentist) };
    return { kind: 'named', dentist: top.dentist };
  }

  // "Dr Smith" with no Dr Smith on staff: worth asking rather than silently searching every dentist.
  for (let index = 0; index + 1 < tokens.length; index += 1) {
    const title = tokens[index].text;
    const spoken = tokens[index + 1].text;
    if (
      (title === 'dr' || title === 'doctor') &&
      /^[a-z]{2,}$/.test(spoken) &&
      !CALENDAR_WORD_SET.has(spoken)
    ) {
      unread.blank(tokens[index].start, tokens[index + 1].end);
      return { kind: 'unknown', spokenName: spoken };
    }
  }
  return null;
}
