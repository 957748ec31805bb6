// Route schemas that only document the API (the OpenAPI document, docs/compatibility.md §10.3): they neither validate
// nor serialise. The contract answers bad input with the original's statuses and texts (a numeric
// `expiry` is a 403 "Invalid format or expiration date.", `revoked: "maybe"` a 400 "Invalid revoked
// value."); Fastify's Ajv would answer first with its own 400, coerce types and fill in defaults
// (`revoked: "False"` would turn revoke's "Please set a revoked value" into an update). Its
// response serialiser would drop the properties a schema does not name ("tokens of <email>") and
// write them in the schema's order. So these routes keep the handlers' own checks and plain
// JSON.stringify, exactly as before they had a schema.
import type { FastifySchema, FastifySchemaCompiler, FastifySerializerCompiler } from 'fastify';
import { Type } from 'typebox';

const acceptAsSent: FastifySchemaCompiler<unknown> = () => () => true;
const stringifyAsIs: FastifySerializerCompiler<unknown> = () => (data) => JSON.stringify(data);

/** Route options carrying `schema` for the OpenAPI document only: input and output untouched. */
export function documentedBy(schema: FastifySchema) {
  return { schema, validatorCompiler: acceptAsSent, serializerCompiler: stringifyAsIs };
}

/** DRF's error body, `{"detail": "…"}`. */
export const DetailError = Type.Object({ detail: Type.String() }, { $id: 'DetailError', additionalProperties: false });

/** `{ description, schema }` of a response that answers DRF's `{"detail": …}`. */
export function detailResponse(description: string) {
  return { description, ...Type.Ref('DetailError') };
}

/** DRF's `?format=` of the views with the default renderers (JSON, browsable HTML, CSV). */
export const DrfFormat = Type.Optional(Type.Enum(['json', 'api', 'csv'], {
  type: 'string',
  description: 'Renderer: `json` (default), `api` (browsable HTML) or `csv`.',
}));

/** An operation's `security`: any one of the listed scheme sets will do; `{}` means none. */
export type SecurityRequirements = Array<Record<string, string[]>>;
/** DRF's default authenticators: session cookie, then HTTP Basic. */
export const DRF_AUTH: SecurityRequirements = [{ cookieAuth: [] }, { basicAuth: [] }];
/** No credentials needed (the operation is public). */
export const NO_AUTH: SecurityRequirements = [];
