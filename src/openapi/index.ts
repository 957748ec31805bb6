// The OpenAPI document as other capabilities (the CLI's writeopenapi) reach it.
export { openApiDocument } from './openapi.routes.ts';
export type { DocumentFormat } from './openapi.routes.ts';
