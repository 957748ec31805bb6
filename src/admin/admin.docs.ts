// What every admin operation shares in the OpenAPI document: its tag, security and refusals.
import { commonErrors } from './admin.schemas.ts';

/** A staff session (X-CSRFToken on unsafe methods) or a Bearer access token with the `admin` scope. */
const ADMIN_SECURITY: Array<Record<string, string[]>> = [{ cookieAuth: [] }, { bearerAuth: [] }];

/** The documentation part of an admin route schema: tag `admin`, its security, the common refusals. */
export function adminDoc<R extends Record<number, unknown>>(operationId: string, summary: string, responses: R) {
  return { tags: ['admin'], operationId, summary, security: ADMIN_SECURITY, response: { ...commonErrors, ...responses } };
}
