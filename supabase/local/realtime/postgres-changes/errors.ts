/**
 * The one error type of the Postgres Changes boundary. Its message is exactly what the Realtime
 * server puts into the `system` error pushed to the channel, so it must match hosted wording.
 */
export class PgChangesError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PgChangesError';
  }
}

/** Hosted prints Elixir `inspect` of the offending parts; JSON string quoting matches it for plain text. */
export function inspectList(parts: string[]): string {
  return `[${parts.map((p) => JSON.stringify(p)).join(', ')}]`;
}

export const FILTER_PARSE_PREFIX = 'Error parsing `filter` params: ';
export const WILDCARD_SELECT_MESSAGE =
  'Column selection is not supported for wildcard subscriptions. Provide an explicit schema and table name.';
export const SELECT_PARSE_MESSAGE =
  'Error parsing `select` params: expected a list of column name strings, e.g. select: ["col1", "col2"]';

/** The `errors` strings of A.10; hosted sends them verbatim in `data.errors`. */
export const CHANGE_ERRORS = {
  noPrimaryKey: 'Error 400: Bad Request, no primary key',
  unauthorized: 'Error 401: Unauthorized',
  payloadTooLarge: 'Error 413: Payload Too Large',
  rlsFailed: 'Error 500: Internal Server Error, RLS policy evaluation failed',
} as const;
