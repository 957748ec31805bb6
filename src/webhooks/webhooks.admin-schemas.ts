// The admin API's webhook endpoints and their delivery log: schemas and views.
import { Type } from 'typebox';
import { DateTime, MULTI_LINE, Nullable, PathId } from '../admin/schema-kit.ts';

const EventTypes = Type.Array(Type.String({ maxLength: 100, pattern: '^[a-z_.*]+$' }), { minItems: 1, maxItems: 100, description: 'Event types (docs/events.md), or ["*"] for all.' });
const Url = Type.String({ minLength: 1, maxLength: 2000, pattern: '^[^\\u0000-\\u0020]*$' });
const Secret = Type.String({ maxLength: 200, pattern: '^whsec_', description: 'A Standard Webhooks secret (whsec_ + base64); generated when absent.' });
const Description = Type.String({ maxLength: 255, pattern: MULTI_LINE });

export const WebhookCreate = Type.Object({
  url: Url, event_types: EventTypes, secret: Type.Optional(Secret), description: Type.Optional(Description), is_active: Type.Optional(Type.Boolean()),
}, { additionalProperties: false });

export const WebhookPatch = Type.Partial(WebhookCreate, { additionalProperties: false });

export const WebhookView = Type.Object({
  id: Type.Integer(), url: Type.String(), event_types: Type.Array(Type.String()), description: Type.String(), is_active: Type.Boolean(),
  created_at: DateTime, updated_at: DateTime,
});
export const WebhookCreated = Type.Object({ ...WebhookView.properties, secret: Type.String({ description: 'Shown once: keep it to verify signatures.' }) });
export const WebhookList = Type.Object({ items: Type.Array(WebhookView) });

export const DeliveryView = Type.Object({
  id: Type.Integer(), event_id: Type.Integer(), event_type: Nullable(Type.String()), status: Type.String(), attempts: Type.Integer(),
  job_id: Nullable(Type.Integer()), last_status_code: Nullable(Type.Integer()), last_error: Nullable(Type.String()),
  delivered_at: Nullable(DateTime), created_at: DateTime, updated_at: DateTime,
});
export const DeliveryList = Type.Object({ items: Type.Array(DeliveryView) });
export const DeliveryQuery = Type.Object({
  before: Type.Optional(Type.Integer({ minimum: 1, maximum: 2147483647, description: 'Deliveries older than this id (the next page).' })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
});
export const DeliveryParams = Type.Object({ id: PathId, deliveryId: PathId });
