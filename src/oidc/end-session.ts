// Ends the provider's own session when the user signs out of DJAM, so that a later authorize
// request cannot ride on it; the applications the session signed in to that registered a
// back-channel logout URI are told (#24, as jobs: backchannel-logout.ts).
import type { FastifyReply, FastifyRequest } from 'fastify';
import type Provider from 'oidc-provider';
import { sendBackchannelLogouts } from './backchannel-logout.ts';

export function providerSessionEnder(provider: Provider) {
  const name = provider.cookieName('session');
  return async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    const id = request.cookies[name];
    if (!id) return;
    const session = await provider.Session.find(id);
    if (session) await sendBackchannelLogouts(provider, session);
    await session?.destroy();
    reply.clearCookie(name, { path: '/' });
    reply.clearCookie(`${name}.sig`, { path: '/' });
  };
}
