/**
 * IP address forwarding for the app's server-side Auth calls.
 *
 * Sign-in, sign-up and token refresh run on the Next.js server, so Supabase Auth sees every user
 * arrive from the server's one address and its per-IP limits (sign-ins, refreshes) would apply to
 * all users together: one attacker's wrong passwords would lock everybody out. Supabase Auth's
 * answer is `Sb-Forwarded-For`: a request made with a secret API key may name the end user's
 * address, and Auth rate-limits by that address when the project enables IP address forwarding
 * (hosted: Authentication > Rate Limits; locally: supabase/config.toml).
 *
 * The returned fetch changes only requests to `<supabaseUrl>/auth/v1/`: there it sends the secret
 * key as `apikey` (Auth reads it only as proof that a trusted server speaks; the Authorization
 * header, and so the caller's identity, stays as supabase-js set it) plus the end user's address.
 * REST and every other request go out untouched, so the secret key never widens a data query.
 * This module takes the key as an argument and is imported only by server-only modules.
 */

export const SB_FORWARDED_FOR = 'Sb-Forwarded-For';

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
const IPV6 = /^[0-9a-f:.]+$/i;

function looksLikeIp(value: string): boolean {
  return IPV4.test(value) || (value.includes(':') && IPV6.test(value));
}

/**
 * The end user's address from the request's `X-Forwarded-For`: its rightmost entry, the one added
 * by the hop nearest to this server (Next.js itself sets the header to the socket address when a
 * request arrives without one; Vercel and reverse proxies overwrite or append). Entries further
 * left are whatever the client chose to send. Null when there is no usable address.
 */
export function endUserAddress(xForwardedFor: string | null): string | null {
  const last = xForwardedFor?.split(',').at(-1)?.trim() ?? '';
  const bare = last.startsWith('::ffff:') && IPV4.test(last.slice(7)) ? last.slice(7) : last;
  return looksLikeIp(bare) ? bare : null;
}

export interface AuthForwardingOptions {
  supabaseUrl: string;
  /** A secret API key (hosted: `sb_secret_…`); server-only. */
  serverKey: string;
  endUserAddress: string | null;
  fetch?: typeof fetch;
}

export function createAuthForwardingFetch(opts: AuthForwardingOptions): typeof fetch {
  const base = opts.fetch ?? fetch;
  const authPrefix = `${opts.supabaseUrl.replace(/\/+$/, '')}/auth/v1/`;
  return (input, init) => {
    const url = input instanceof Request ? input.url : String(input);
    if (!opts.endUserAddress || !url.startsWith(authPrefix)) return base(input, init);
    const headers = new Headers(input instanceof Request ? input.headers : undefined);
    new Headers(init?.headers).forEach((value, key) => headers.set(key, value));
    headers.set('apikey', opts.serverKey);
    headers.set(SB_FORWARDED_FOR, opts.endUserAddress);
    return base(input, { ...init, headers });
  };
}
