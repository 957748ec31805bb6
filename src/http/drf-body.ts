// Request bodies as DRF's parsers read them (docs/compatibility.md §5.1): JSON, form-encoded and multipart bodies
// all become one object of fields; an empty body of any type is no fields; a malformed body or an
// unsupported media type is the client's error (400, 415), never a 500.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError } from '../errors.ts';

type Fields = Record<string, unknown>;

function parseJson(text: string): Fields {
  if (!text.trim()) return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (cause) {
    throw new AppError('VALIDATION_FAILED', { message: `JSON parse error - ${(cause as Error).message}`, cause });
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new AppError('VALIDATION_FAILED', { message: 'JSON parse error - the body must be a JSON object.' });
  }
  return value as Fields;
}

// Django's QueryDict.get() answers the last value of a repeated field, as fromEntries keeps it.
const formFields = (text: string): Fields => Object.fromEntries(new URLSearchParams(text));

async function multipartFields(request: FastifyRequest, body: Buffer): Promise<Fields> {
  if (!body.length) return {};
  try {
    const form = await new Response(body, { headers: { 'content-type': request.headers['content-type'] ?? '' } }).formData();
    // Uploaded files go to DRF's request.FILES, not to the fields.
    return Object.fromEntries([...form].filter(([, v]) => typeof v === 'string'));
  } catch (cause) {
    throw new AppError('VALIDATION_FAILED', { message: 'Multipart form parse error - the body is not valid multipart/form-data.', cause });
  }
}

/** Replaces the scope's body parsers with DRF's; `request.body` is then always an object. */
export function useDrfBodyParsers(scope: FastifyInstance): void {
  scope.removeAllContentTypeParsers();
  scope.addContentTypeParser('application/json', { parseAs: 'string' }, async (_request: FastifyRequest, body: string) => parseJson(body));
  scope.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, async (_request: FastifyRequest, body: string) => formFields(body));
  scope.addContentTypeParser('multipart/form-data', { parseAs: 'buffer' }, multipartFields);
  scope.addContentTypeParser('*', { parseAs: 'buffer' }, async (request: FastifyRequest, body: Buffer) => {
    if (!body.length) return {};
    const type = request.headers['content-type'] ?? '';
    throw new AppError('UNSUPPORTED_MEDIA_TYPE', { message: `Unsupported media type "${type}" in request.` });
  });
}

/** The fields of a parsed body; a request without one (GET, or no body at all) has none. */
export function fieldsOf(body: unknown): Fields {
  return body !== null && typeof body === 'object' && !Array.isArray(body) ? body as Fields : {};
}
