// The key API's request and response schemas (docs/compatibility.md §5) for the OpenAPI document, named as the
// original's drf-spectacular document names them. They describe; the handlers check (docs/compatibility.md §5.3–5.5).
import { Type, type TSchema } from 'typebox';
import { detailResponse as detail } from '../http/route-docs.ts';
import { KEY_ACTIONS } from './key-api.service.ts';

type KeyAction = (typeof KEY_ACTIONS)[number];

const EXAMPLE_KEY = '22222222-2222-2222-2222-222222222222';

const accountId = Type.Optional(Type.Union([Type.Integer(), Type.Null()], {
  default: null,
  description: 'Superusers only: act on the user with this id (a JSON integer). Ignored for everyone else.',
}));
const resourceKey = Type.String({ format: 'uuid', description: 'A resource key of the caller, lower-case and hyphenated.' });
const expiry = Type.Optional(Type.String({
  description: 'UTC expiry, exactly `YYYY-MM-DDTHH:MM:SS.ffffffZ` (1–6 fractional digits), '
    + 'not in the past and at most DJAM_MAX_APIKEY_EXPIRE_DAYS ahead. Default: DJAM_APIKEY_EXPIRE_DAYS from now.',
}));
const revoked = (description: string) => Type.Optional(Type.String({ default: 'False', description }));

const BODY_NAMES: Record<KeyAction, string> = {
  key_list: 'KeyListSchema', create_key: 'CreateKeySchema', status: 'StatusSchema',
  revoke: 'RevokeSchema', renew: 'RenewSchema', rotate: 'RotateSchema',
};

// Each schema's `example` is what Swagger UI's "Try it out" starts from: a request that works.
const bodies = {
  key_list: Type.Object({ account_id: accountId }, { example: {} }),
  create_key: Type.Object({
    revoked: revoked('Create the key revoked: `True`/`False` (also `1`/`0`, `t`/`f`, `yes`/`no`, JSON booleans).'),
    expiry, account_id: accountId,
  }, { example: { revoked: 'False' } }),
  status: Type.Object({ resource_key: resourceKey, account_id: accountId }, { example: { resource_key: EXAMPLE_KEY } }),
  revoke: Type.Object({
    resource_key: resourceKey,
    revoked: revoked('`True` revokes the key, `False` re-enables it (same spellings as create_key). Absent: nothing changes.'),
    account_id: accountId,
  }, { example: { resource_key: EXAMPLE_KEY, revoked: 'True' } }),
  renew: Type.Object({ resource_key: resourceKey, expiry, account_id: accountId }, { example: { resource_key: EXAMPLE_KEY } }),
  rotate: Type.Object({
    resource_key: resourceKey,
    short_expiry: Type.Optional(Type.String({
      default: 'False', description: '`True`: the old key stays usable for DJAM_SHORT_APIKEY_EXPIRE_DAYS; otherwise its expiry is kept.',
    })),
    account_id: accountId,
  }, { example: { resource_key: EXAMPLE_KEY, short_expiry: 'True' } }),
} satisfies Record<KeyAction, TSchema>;

/** The request bodies, for the scope's addSchema(): the document refers to them by name. */
export const keyApiBodySchemas = KEY_ACTIONS.map((action) => ({ ...bodies[action], $id: BODY_NAMES[action] }));

const username = Type.String({ description: 'E-mail address of the key owner.' });
const id = Type.Integer({ description: 'Id of the key.' });
const key = Type.String({ format: 'uuid' });
const apiDate = Type.String({ format: 'date-time', description: 'UTC, milliseconds only when non-zero.' });

// Property names with spaces are the original's; the answers keep them and their order.
const answers = {
  key_list: Type.Object({}, {
    additionalProperties: Type.Array(key),
    description: 'One property, `tokens of <email>`: every resource key of the user (revoked and expired included), oldest first.',
    example: { 'tokens of alice@example.com': [EXAMPLE_KEY] },
  }),
  create_key: Type.Object({ username, token: key, id, created: Type.Literal('success') }),
  status: Type.Object({ username, key, id, revoked: Type.Boolean(), 'expiration date': apiDate }),
  revoke: Type.Object({
    username: Type.Optional(username), key: Type.Optional(key), id: Type.Optional(id),
    'new revoked value': Type.Optional(Type.Unknown({ description: 'The `revoked` value exactly as sent.' })),
    message: Type.Optional(Type.Literal('Please set a revoked value', { description: 'Instead of the above when no `revoked` was sent.' })),
  }),
  renew: Type.Object({ username, key, id, 'New expiration date': apiDate }),
  rotate: Type.Object({
    message: Type.String({ description: '`The old key: <uuid> with id: <id> is revoked and extended for <days> days`' }),
    username, new_key: key, id: Type.Integer({ description: 'Id of the new key.' }),
  }),
} satisfies Record<KeyAction, TSchema>;

const summaries: Record<KeyAction, string> = {
  key_list: 'List the resource keys of a user',
  create_key: 'Create a resource key',
  status: 'Show a resource key',
  revoke: 'Revoke or re-enable a resource key',
  renew: 'Change the expiry of a resource key',
  rotate: 'Revoke a resource key and create its replacement',
};

/** The documentation of one action; errors answer DRF's `{"detail": …}`. */
export function keyActionDocs(action: KeyAction) {
  return {
    tags: ['api-keys'], operationId: action, summary: summaries[action], security: [{ tokenAuth: [] }],
    // DRF's parsers: the same fields as JSON, form-encoded or multipart.
    consumes: ['application/json', 'application/x-www-form-urlencoded', 'multipart/form-data'],
    body: Type.Ref(BODY_NAMES[action]),
    response: {
      200: { description: 'Done.', ...answers[action] },
      400: detail('Malformed body, or (create_key, revoke) `Invalid revoked value.`'),
      401: detail('No, malformed or unusable management key (`WWW-Authenticate: Token`).'),
      403: detail('`Invalid format or expiration date.` or `No access permissions or invalid resource key`.'),
      429: detail('Too many failed password or key checks from this address: nothing was checked (`Retry-After` says when to try again).'),
    },
  };
}
