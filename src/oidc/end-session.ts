// Ends the provider's own session when the user signs out of DJAM, so that a later authorize
// request cannot ride on it.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type Provider from 'oidc-provider';

export function providerSessionEnder(provider: Provider) {
  const name = provider.cookieName('session');
  return async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    const id = request.cookies[name];
    if (!id) return;
    const session = await provider.Session.find(id);
    await session?.destroy();
    reply.clearCookie(name, { path: '/' });
    reply.clearCookie(`${name}.sig`, { path: '/' });
  };
}
