// Dynamic client registration (#24, RFC 7591/7592): off unless DJAM_DYNAMIC_REGISTRATION, and then
// only with an initial access token an administrator issued (POST /api/admin/initial-access-
// tokens). Every such token carries the `djam` policy, and the registration access token it leads
// to inherits it, so registrations and their updates pass here: a registered client may not ask
// for the admin API (#17 item 2), and nothing DJAM-specific (urn:djam:*: consent skipping, the
// introspection list, the groups form) is taken from a registrant.
import { errors, type KoaContextWithOIDC } from 'oidc-provider';
import { ADMIN_SCOPE } from '../access/index.ts';

const REGISTRATION_POLICY = 'djam';

async function djamRegistrationPolicy(_ctx: KoaContextWithOIDC, properties: Record<string, unknown>): Promise<void> {
  const scopes = typeof properties.scope === 'string' ? properties.scope.split(' ') : [];
  if (scopes.includes(ADMIN_SCOPE)) throw new errors.InvalidClientMetadata('a registered client cannot ask for the admin scope');
  for (const name of Object.keys(properties)) if (name.startsWith('urn:djam:')) delete properties[name];
}

export function registrationFeatures(enabled: boolean) {
  return {
    registration: { enabled, initialAccessToken: true, policies: { [REGISTRATION_POLICY]: djamRegistrationPolicy }, issueRegistrationAccessToken: true },
    registrationManagement: { enabled, rotateRegistrationAccessToken: true },
  };
}
