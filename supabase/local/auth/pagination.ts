/**
 * Page-number pagination of the admin user list with GoTrue's headers
 * (`internal/api/pagination.go`): `X-Total-Count` and a `Link` header whose query is re-encoded
 * with sorted keys. auth-js reads the page number as the first character after the first `=` of
 * each link and JSON-parses the `rel` value, so the exact shape matters.
 */
import { badRequest } from './errors';
import { DEFAULT_PER_PAGE } from './options';

export interface PageParams {
  page: number;
  perPage: number;
}

const UNSIGNED = /^\d+$/;

/**
 * GoTrue parses both as unsigned 64-bit integers; past that it answers "Bad Pagination
 * Parameters". Here the bound is the largest page window Postgres can address: `limit` and
 * `offset` are bigints, so (page - 1) × per_page must stay within one (and within a safe JS number).
 */
function parseUnsigned(raw: string, name: 'page' | 'per_page'): number {
  const value = Number(raw);
  if (!UNSIGNED.test(raw) || !Number.isSafeInteger(value))
    throw badRequest('validation_failed', `Bad Pagination Parameters: invalid ${name} "${raw}"`);
  return value;
}

export function parsePageParams(query: URLSearchParams): PageParams {
  const rawPage = query.get('page') ?? '';
  const rawPerPage = query.get('per_page') ?? '';
  let page = 1;
  let perPage = DEFAULT_PER_PAGE;
  if (rawPage !== '') page = Math.max(1, parseUnsigned(rawPage, 'page'));
  if (rawPerPage !== '') {
    perPage = parseUnsigned(rawPerPage, 'per_page');
    if (perPage === 0)
      throw badRequest('validation_failed', 'Bad Pagination Parameters: per_page must be greater than 0');
  }
  if (!Number.isSafeInteger((page - 1) * perPage))
    throw badRequest('validation_failed', 'Bad Pagination Parameters: page × per_page is out of range');
  return { page, perPage };
}

export function totalPages(perPage: number, total: number): number {
  return Math.ceil(total / perPage);
}

/** Go's url.QueryEscape: everything but letters, digits and `-_.~` is escaped, space becomes `+`. */
export function goQueryEscape(value: string): string {
  return encodeURIComponent(value)
    .replace(/[!'()*]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase())
    .replace(/%20/g, '+');
}

/** Go's url.Values.Encode(): keys sorted, each key's values in order. */
export function goEncodeQuery(query: URLSearchParams): string {
  const keys = [...new Set(query.keys())].sort();
  const parts: string[] = [];
  for (const key of keys)
    for (const value of query.getAll(key)) parts.push(`${goQueryEscape(key)}=${goQueryEscape(value)}`);
  return parts.join('&');
}

export function paginationHeaders(
  path: string,
  query: URLSearchParams,
  params: PageParams,
  total: number,
): Record<string, string> {
  const pages = totalPages(params.perPage, total);
  const q = new URLSearchParams(query);
  let link = '';
  if (pages > params.page) {
    q.set('page', String(params.page + 1));
    link += `<${path}?${goEncodeQuery(q)}>; rel="next", `;
  }
  q.set('page', String(pages));
  link += `<${path}?${goEncodeQuery(q)}>; rel="last"`;
  return { Link: link, 'X-Total-Count': String(total) };
}
