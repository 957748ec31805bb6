// One query parameter as Django's `request.GET.get()` reads it: the last value when repeated.
import type { FastifyRequest } from 'fastify';

export function queryParam(request: FastifyRequest, name: string): string | undefined {
  const value = (request.query as Record<string, unknown> | undefined)?.[name];
  const last = Array.isArray(value) ? value.at(-1) : value;
  return typeof last === 'string' ? last : undefined;
}
