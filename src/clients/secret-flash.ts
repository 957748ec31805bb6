// POST/redirect/GET with a secret to show once: the new secret travels to the detail page in a
// flash cookie, sealed with the server's key, bound to the session and the client, scoped to that
// page's path and cleared when read — never in a URL, and a reload does not show it again.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { seal, unseal, type SecretKeys } from '../crypto/keys.ts';
import { isSecureRequest } from '../http/cookies.ts';
import type { ActiveSession } from '../users/index.ts';
import type { ClientRow } from './clients.service.ts';

const SECRET_FLASH = 'djam_client_secret_flash';
const SECRET_FLASH_SECONDS = 300;
export const flashPath = (id: number) => `/o/applications/${id}/`;

export function setSecretFlash(keys: SecretKeys, request: FastifyRequest, reply: FastifyReply, s: ActiveSession, client: ClientRow, secret: string): void {
  const value = seal(keys, JSON.stringify({ session: s.uuid, clientId: client.clientId, secret }));
  reply.setCookie(SECRET_FLASH, value, { path: flashPath(client.id), httpOnly: true, sameSite: 'strict', secure: isSecureRequest(request), maxAge: SECRET_FLASH_SECONDS });
}

/** The secret flashed for this client and session, if any; the flash is cleared either way. */
export function takeSecretFlash(keys: SecretKeys, request: FastifyRequest, reply: FastifyReply, s: ActiveSession, client: ClientRow): string | undefined {
  const sealed = request.cookies[SECRET_FLASH];
  if (!sealed) return undefined;
  reply.clearCookie(SECRET_FLASH, { path: flashPath(client.id), httpOnly: true, sameSite: 'strict', secure: isSecureRequest(request) });
  try {
    const flash = JSON.parse(unseal(keys, sealed)) as { session?: unknown; clientId?: unknown; secret?: unknown };
    return flash.session === s.uuid && flash.clientId === client.clientId && typeof flash.secret === 'string' ? flash.secret : undefined;
  } catch {
    return undefined; // sealed with another key, or tampered with: nothing to show
  }
}
