/**
 * Who the client is, for rate limiting and the sessions' `ip` column: hosted Auth's IP address
 * forwarding. A server that talks to Auth on its users' behalf (a Next.js server action) reaches
 * Auth from its own address, so every user would share one rate-limit bucket. Hosted Supabase lets
 * such a server name the end user in `Sb-Forwarded-For`, honoured only when the project enables it
 * (`security_sb_forwarded_for_enabled`) and the request carries a secret API key; the leftmost
 * entry must be an IP address, otherwise the header is ignored and the socket address is used.
 *
 * `X-Forwarded-For` is never read: any browser or script can set it, so trusting it would let one
 * attacker pick a fresh address for every guess.
 */
import type { IncomingMessage } from 'node:http';
import { isIP } from 'node:net';
import type { JwtCodec } from '../jwt';

export const SB_FORWARDED_FOR_HEADER = 'sb-forwarded-for';

/** Legacy JWT API keys with this role count as secret keys (hosted: `sb_secret_…` keys). */
const SECRET_KEY_ROLE = 'service_role';
const IPV4_MAPPED = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/;

/** An IP address in one canonical spelling (like Go's `net.ParseIP(s).String()`), or null. */
export function canonicalIp(value: string): string | null {
  const kind = isIP(value);
  if (kind === 4) return value;
  // Zone IDs ("fe80::1%eth0") are not addresses a client can be limited by; Go rejects them too.
  if (kind !== 6 || value.includes('%')) return null;
  const compressed = new URL(`http://[${value}]`).hostname.slice(1, -1);
  const mapped = IPV4_MAPPED.exec(compressed);
  if (!mapped) return compressed;
  const [hi, lo] = [parseInt(mapped[1], 16), parseInt(mapped[2], 16)];
  return `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;
}

/** The leftmost entry of an `Sb-Forwarded-For` value when it is an IP address. */
export function parseForwardedFor(value: string): string | null {
  return canonicalIp(value.split(',', 1)[0].trim());
}

/**
 * Whether the request's `apikey` is a secret key. Locally that is the legacy service-role JWT,
 * verified, not just decoded (hosted accepts only `sb_secret_…` keys for forwarding; this stack
 * has none yet, so the legacy key stands in).
 */
async function carriesSecretKey(req: IncomingMessage, jwt: JwtCodec): Promise<boolean> {
  const apikey = req.headers.apikey;
  if (typeof apikey !== 'string' || apikey === '') return false;
  const verified = await jwt.verify(apikey);
  return verified.ok && verified.claims.role === SECRET_KEY_ROLE;
}

function socketAddress(req: IncomingMessage): string {
  const raw = req.socket.remoteAddress ?? '';
  return canonicalIp(raw) ?? (raw || 'unknown');
}

export async function resolveClientAddress(
  req: IncomingMessage,
  opts: { sbForwardedForEnabled: boolean; jwt: JwtCodec },
): Promise<string> {
  const header = req.headers[SB_FORWARDED_FOR_HEADER];
  if (opts.sbForwardedForEnabled && typeof header === 'string' && header !== '') {
    const forwarded = parseForwardedFor(header);
    if (forwarded && (await carriesSecretKey(req, opts.jwt))) return forwarded;
  }
  return socketAddress(req);
}
