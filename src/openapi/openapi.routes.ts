// The OpenAPI document of the REST API (docs/compatibility.md §10.3) at /openid/api/schema/, generated from the
// route schemas, and Swagger UI at /openid/api/schema/swagger-ui/. Only tagged routes appear:
// pages, the provider's endpoints and the redirect routes carry no tag.
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import { appendSlash } from '../http/drf-views.ts';
import { queryParam } from '../http/query-param.ts';
import { DetailError } from '../http/route-docs.ts';

const SCHEMA_URL = '/openid/api/schema/';
const JSON_FORMATS = ['json', 'openapi-json'];
const YAML_FORMATS = ['yaml', 'openapi'];

export type DocumentFormat = 'yaml' | 'json';

const info = {
  title: 'DJAM REST API',
  description: 'OpenID Identity Provider and custom Privilege Management System',
  version: '0.0.0',
};

const securitySchemes = {
  // Markdown in Swagger UI: without the backticks `<management key>` would read as an HTML tag.
  tokenAuth: { type: 'apiKey', in: 'header', name: 'Authorization', description: 'Value: `Token <management key>`' },
  cookieAuth: { type: 'apiKey', in: 'cookie', name: 'djam_sessionid', description: 'The session of a signed-in user.' },
  basicAuth: { type: 'http', scheme: 'basic', description: 'A user\'s e-mail address and password; for token introspection, a client\'s id and secret.' },
  bearerAuth: { type: 'http', scheme: 'bearer', description: 'An access token from this server with the `admin` scope (client credentials for machines).' },
} as const;

const tags = [
  { name: 'api-keys', description: 'Resource keys, managed with a management key (`Authorization: Token <key>`).' },
  { name: 'geoserver', description: 'What GeoServer calls: key, credential and token introspection, its REST role service.' },
  { name: 'privileges', description: 'Teams (user groups), read-only.' },
  { name: 'users', description: 'Users export, for staff.' },
  { name: 'admin', description: 'The admin API (`/api/admin/*`): staff with a session (X-CSRFToken on unsafe methods) or a Bearer access token with the `admin` scope. Errors: `{ error, message, details }`.' },
];

/** The document as served and as `djam openapi` writes it. */
export function openApiDocument(app: FastifyInstance, format: DocumentFormat): string {
  return format === 'yaml' ? app.swagger({ yaml: true }) : `${JSON.stringify(app.swagger(), null, 2)}\n`;
}

interface Schema { $ref?: string; required?: string[] }
interface DocumentTree {
  paths: Record<string, Record<string, { requestBody?: { required: boolean; content: Record<string, { schema: Schema }> } }>>;
  components: { schemas?: Record<string, Schema> };
}

/**
 * The generated document as a plain tree (objects the routes share, such as tags and security
 * lists, would otherwise come out of the YAML writer as anchors and aliases, `&a1`/`*a1`), with
 * a body optional where it has no required field: the generator marks every body required, but
 * DRF reads a missing body as no fields (key_list and create_key need none).
 */
function finishDocument(generated: unknown): DocumentTree {
  const doc = JSON.parse(JSON.stringify(generated)) as DocumentTree;
  for (const operation of Object.values(doc.paths).flatMap((methods) => Object.values(methods))) {
    const body = operation.requestBody;
    const schema = body && Object.values(body.content)[0]?.schema;
    const named = schema?.$ref?.replace('#/components/schemas/', '');
    if (body && !(named ? doc.components.schemas?.[named] : schema)?.required?.length) body.required = false;
  }
  return doc;
}

/** drf-spectacular's negotiation: `?format=` first (unknown: 404), then an Accept naming JSON; YAML by default. */
function requestedFormat(format: string | undefined, accept = ''): DocumentFormat | undefined {
  if (format) return JSON_FORMATS.includes(format) ? 'json' : YAML_FORMATS.includes(format) ? 'yaml' : undefined;
  return /json/i.test(accept) && !/yaml/i.test(accept) ? 'json' : 'yaml';
}

/**
 * Registers the generator on the root instance: it sees only the routes registered after it,
 * so buildApp calls this before the routes it documents.
 */
export async function registerOpenApi(app: FastifyInstance): Promise<void> {
  app.addSchema(DetailError);
  await app.register(swagger, {
    openapi: { openapi: '3.0.3', info, tags, components: { securitySchemes } },
    hideUntagged: true,
    // Shared schemas keep their names (KeyListSchema …) instead of def-0, def-1.
    refResolver: { buildLocalReference: (json, _baseUri, _fragment, i) => (typeof json.$id === 'string' ? json.$id : `def-${i}`) },
    transformObject: (document) => finishDocument('openapiObject' in document ? document.openapiObject : document.swaggerObject),
  });
  await app.register(async (scope) => {
    scope.get(SCHEMA_URL, async (request, reply) => {
      const format = requestedFormat(queryParam(request, 'format'), request.headers.accept);
      if (!format) return reply.status(404).send({ detail: 'Not found.' });
      const type = format === 'yaml' ? 'application/vnd.oai.openapi; charset=utf-8' : 'application/vnd.oai.openapi+json';
      return reply.type(type).send(openApiDocument(app, format));
    });
    appendSlash(scope, SCHEMA_URL.slice(0, -1));
    // Assets come from the package; `validatorUrl: false` renders as null: no call to swagger.io.
    // BaseLayout, as drf-spectacular's page: no top bar with another product's logo and a URL box.
    // The page needs no inline script, so the site's CSP (security-headers.ts) holds unchanged.
    await scope.register(swaggerUi, { routePrefix: `${SCHEMA_URL}swagger-ui`, validatorUrl: false, uiConfig: { layout: 'BaseLayout' } });
  });
}
