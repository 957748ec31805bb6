// Route plumbing shared by the DRF-style endpoints (docs/compatibility.md §0.2): the 405 for methods a view lacks, the
// OPTIONS metadata DRF answers, and Django's APPEND_SLASH redirect for slash-less URLs.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Format } from './drf-negotiation.ts';

const READ_METHODS = 'GET, HEAD, OPTIONS';
const WRITE_METHODS = ['POST', 'PUT', 'PATCH', 'DELETE'];
const MEDIA: Record<Format, string> = { json: 'application/json', api: 'text/html', csv: 'text/csv' };

export function methodNotAllowed(reply: FastifyReply, method: string) {
  return reply.status(405).header('allow', READ_METHODS).send({ detail: `Method "${method}" not allowed.` });
}

interface ReadOnlyView {
  /** The view's name in the OPTIONS metadata, as DRF derives it from the class name. */
  name: string;
  formats: readonly Format[];
  /** Answers the write methods instead of the plain 405 (e.g. a permission check first). */
  onWrite?: (request: FastifyRequest, reply: FastifyReply) => Promise<unknown>;
}

/** Everything but GET/HEAD on `url`: OPTIONS gets DRF's metadata, writes a 405 (or `onWrite`). */
export function refuseOtherMethods(app: FastifyInstance, url: string, view: ReadOnlyView): void {
  app.route({ method: WRITE_METHODS, url, handler: view.onWrite ?? ((request, reply) => methodNotAllowed(reply, request.method)) });
  app.options(url, (_request, reply) => reply.header('allow', READ_METHODS).send({
    name: view.name, description: '', renders: view.formats.map((f) => MEDIA[f]),
    parses: ['application/json', 'application/x-www-form-urlencoded', 'multipart/form-data'],
  }));
}

/**
 * DRF parses a body only when a view reads it, and these read-only views never do: a malformed
 * or unknown body must not turn their 403/405 into a 400 or 415. Call inside the plugin's scope.
 */
export function ignoreRequestBodies(app: FastifyInstance): void {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', (_request, _payload, done) => done(null, undefined));
}

/** Django's APPEND_SLASH: a GET of `url` is sent on to `url/`, query string kept. */
export function appendSlash(app: FastifyInstance, url: string): void {
  app.get(url, (request, reply) => {
    const q = request.url.indexOf('?');
    return reply.redirect(`${url}/${q < 0 ? '' : request.url.slice(q)}`, 301);
  });
}
