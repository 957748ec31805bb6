// A request target Fastify cannot decode (`%` not followed by two hex digits, say) is refused
// before any route runs, so no route's error handling sees it. Fastify's default answer is its own
// JSON, which a DRF client (GeoServer) or an OAuth client cannot read as an error: the answer takes
// the shape of the surface the path belongs to instead.
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { errorSurfaceOf } from './surfaces.ts';

const MESSAGE = 'The request target is not a valid URL.';

export function answerMalformedUrl(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  request.log.info({ code: error.code }, 'request.malformed_url');
  const status = error.statusCode && error.statusCode < 500 ? error.statusCode : 400;
  reply.status(status);
  const surface = errorSurfaceOf(request.raw.url ?? '/');
  if (surface === 'oauth') void reply.header('cache-control', 'no-store').send({ error: 'invalid_request', error_description: MESSAGE });
  else if (surface === 'drf') void reply.send({ detail: MESSAGE });
  else void reply.send({ error: 'BAD_REQUEST', message: MESSAGE });
}
