/** Word lists shared by the recognisers. Domain knowledge, not utterance special cases. */

export const WEEKDAY_NAMES = [
  'sunday',
  'monday',
  'tuesday',
  'wednesday',
  'thursday',
  'friday',
  'saturday',
] as const;

/** Abbreviations that are not also everyday English words ("sat", "sun" need a "this/next/on" in front). */
export const WEEKDAY_ABBREVIATIONS: Record<string, number> = {
  mon: 1,
  tue: 2,
  tues: 2,
  wed: 3,
  weds: 3,
  thu: 4,
  thur: 4,
  thurs: 4,
  fri: 5,
};
export const WEEKDAY_AMBIGUOUS_ABBREVIATIONS: Record<string, number> = { sun: 0, sat: 6 };

export const MONTH_NAMES = [
  'january',
  'february',
  'march',
  'april',
  'may',
  'june',
  'july',
  'august',
  'september',
  'october',
  'november',
  'december',
] as const;

export const MONTH_ABBREVIATIONS: Record<string, number> = {
  jan: 1,
  feb: 2,
  mar: 3,
  apr: 4,
  jun: 6,
  jul: 7,
  aug: 8,
  sep: 9,
  sept: 9,
  oct: 10,
  nov: 11,
  dec: 12,
};

export const ORDINAL_WORDS: Record<string, number> = {
  first: 1,
  second: 2,
  third: 3,
  fourth: 4,
  fifth: 5,
  sixth: 6,
  seventh: 7,
  eighth: 8,
  ninth: 9,
  tenth: 10,
};

/** Words the calendar recognisers read; misspellings of these are corrected before parsing. */
export const CALENDAR_WORDS: readonly string[] = [
  ...WEEKDAY_NAMES,
  ...WEEKDAY_NAMES.map((day) => `${day}s`),
  ...MONTH_NAMES.filter((month) => month.length >= 5),
  'today',
  'tonight',
  'tomorrow',
  'yesterday',
  'morning',
  'mornings',
  'afternoon',
  'afternoons',
  'evening',
  'evenings',
  'weekend',
  'weekends',
  'lunchtime',
  'earliest',
  'soonest',
  'available',
  'fortnight',
  'midday',
  'midnight',
  'between',
  'before',
  'after',
];

/**
 * Real words within typo distance of a calendar word that must stay as typed ("my mouth" is not "my month",
 * "anything earlier" is not "earliest").
 */
export const PROTECTED_WORDS: ReadonlySet<string> = new Set([
  'mouth',
  'match',
  'marsh',
  'earlier',
  'later',
  'sooner',
  'money',
  'weekly',
  'monthly',
  'months',
  'lately',
  'morgan',
  'evenly',
  'tomorrows',
  'todays',
  'availability',
  'afterwards',
  'beforehand',
]);

/** Words that show the user wants an appointment even when nothing else was said. */
export const INTENT_WORDS: ReadonlySet<string> = new Set([
  'book',
  'booking',
  'appointment',
  'appointments',
  'appt',
  'slot',
  'slots',
  'opening',
  'openings',
  'available',
  'availability',
  'free',
  'schedule',
  'visit',
  'reschedule',
  'come',
  'see',
]);

/** Titles stripped from dentist names and accepted in front of a surname. */
export const DENTIST_TITLES: ReadonlySet<string> = new Set([
  'dr',
  'doctor',
  'doc',
  'dentist',
  'prof',
  'professor',
  'mr',
  'mrs',
  'ms',
  'miss',
]);

/** Suffixes stripped from dentist names ("Jane Roe DDS"). */
export const DENTIST_SUFFIXES: ReadonlySet<string> = new Set(['dds', 'dmd', 'bds', 'msc', 'phd']);

/**
 * Groups of words that name the same dental service. A clinic's service is matched by its own name and
 * aliases, and by every word of a group that one of its names belongs to.
 */
export const SERVICE_SYNONYM_GROUPS: readonly (readonly string[])[] = [
  [
    'cleaning',
    'clean',
    'cleaned',
    'hygiene',
    'hygienist',
    'scale and polish',
    'scale polish',
    'scaling',
    'polish',
  ],
  ['checkup', 'check up', 'exam', 'examination', 'check over', 'dental exam'],
  ['whitening', 'whiten', 'whitened', 'bleaching', 'bleach'],
  ['filling', 'cavity', 'cavities'],
  ['extraction', 'extract', 'pulled', 'removal'],
  ['root canal', 'endodontic'],
  ['crown', 'cap'],
  ['emergency', 'toothache', 'urgent'],
  ['consultation', 'consult'],
];

/** Words in service names too generic to identify a service on their own. */
export const GENERIC_SERVICE_WORDS: ReadonlySet<string> = new Set([
  'dental',
  'teeth',
  'tooth',
  'appointment',
  'visit',
  'routine',
  'standard',
  'new',
  'patient',
  'and',
  'the',
  'with',
  'for',
  'adult',
  'child',
  'minute',
  'minutes',
]);
