/** GET /health, /settings and /.well-known/jwks.json (GoTrue `api.go`, `settings.go`, `jwks.go`). */
import { sendJson } from '../../http';
import type { AuthRequest } from './common';

const OAUTH_PROVIDERS = [
  'apple',
  'azure',
  'bitbucket',
  'discord',
  'facebook',
  'snapchat',
  'figma',
  'fly',
  'github',
  'gitlab',
  'google',
  'keycloak',
  'kakao',
  'linkedin',
  'linkedin_oidc',
  'notion',
  'spotify',
  'slack',
  'slack_oidc',
  'workos',
  'twitch',
  'twitter',
  'zoom',
] as const;

export async function handleHealth(r: AuthRequest): Promise<void> {
  sendJson(r.res, 200, {
    version: 'local',
    name: 'GoTrue',
    description: 'GoTrue is a user registration and authentication API',
  });
}

export async function handleSettings(r: AuthRequest): Promise<void> {
  const { options } = r.deps;
  const external: Record<string, boolean> = { anonymous_users: options.anonymousSignInsEnabled };
  for (const p of OAUTH_PROVIDERS) external[p] = false;
  external.email = true;
  external.phone = false;
  sendJson(r.res, 200, {
    external,
    disable_signup: options.disableSignup,
    mailer_autoconfirm: options.mailerAutoconfirm,
    phone_autoconfirm: false,
    sms_provider: '',
    saml_enabled: false,
    saml_private_key_next_configured: false,
    passkeys_enabled: false,
  });
}

/** Tokens are HS256 with the shared secret, so there is no public key to publish (as with the CLI). */
export async function handleJwks(r: AuthRequest): Promise<void> {
  sendJson(r.res, 200, { keys: [] });
}
