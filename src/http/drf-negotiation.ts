// DRF's content negotiation (docs/compatibility.md §0.2), which decides a few status codes clients see: `?format=`
// (or a `.json`-style URL suffix, which wins) names a renderer and an unknown name is a 404;
// otherwise the Accept header is matched by precedence (specific types before `type/*` before
// `*/*`, q-values ignored, as DRF does) and nothing acceptable is a 406.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { queryParam } from './query-param.ts';

/** `api` is DRF's browsable HTML API; we have none, so it is answered as JSON. */
export type Format = 'json' | 'api' | 'csv';
export const JSON_ONLY: readonly Format[] = ['json'];
export const DEFAULT_FORMATS: readonly Format[] = ['json', 'api', 'csv'];

const MEDIA_TYPES: Record<Format, [string, string]> = { json: ['application', 'json'], api: ['text', 'html'], csv: ['text', 'csv'] };

function acceptedRanges(header: string): Array<{ type: string; subtype: string; precedence: number }> {
  return header.split(',').map((part) => {
    const [range, ...params] = part.split(';').map((s) => s.trim().toLowerCase());
    const [type = '', subtype = ''] = range.split('/');
    const hasParams = params.some((p) => p && !p.startsWith('q='));
    const precedence = type === '*' ? 0 : subtype === '*' ? 1 : hasParams ? 3 : 2;
    return { type, subtype, precedence };
  }).filter((r) => r.type);
}

function fromAccept(header: string | undefined, formats: readonly Format[]): Format | undefined {
  if (!header?.trim()) return formats[0];
  const ranges = acceptedRanges(header);
  for (const precedence of [3, 2, 1, 0]) {
    for (const format of formats) {
      const [type, subtype] = MEDIA_TYPES[format];
      const hit = ranges.some((r) => r.precedence === precedence
        && (r.type === '*' || r.type === type) && (r.subtype === '*' || r.subtype === subtype));
      if (hit) return format;
    }
  }
  return undefined;
}

/** The format to answer in, or undefined after answering the DRF 404/406 itself. */
export async function negotiate(request: FastifyRequest, reply: FastifyReply, formats: readonly Format[], suffix?: string): Promise<Format | undefined> {
  const named = suffix || queryParam(request, 'format');
  if (named) {
    if ((formats as readonly string[]).includes(named)) return named as Format;
    await reply.status(404).send({ detail: 'Not found.' });
    return undefined;
  }
  const format = fromAccept(request.headers.accept, formats);
  if (!format) await reply.status(406).send({ detail: 'Could not satisfy the request Accept header.' });
  return format;
}
