// Django many-to-many rows (user–team, user–role, team–role, prevention–team) translated to
// our ids, and told apart into those already here and new ones.
import { conflict, type ImportContext } from './import-context.ts';
import type { ImportTable } from './import-report.ts';
import type { SourceLink } from './source.types.ts';

interface LinkSide { map: Map<number, number>; name: string }

/** Pairs of our ids for links whose both ends were imported; the others are reported. */
export function mapLinks(
  ctx: ImportContext, links: SourceLink[], table: ImportTable, left: LinkSide, right: LinkSide,
): Array<[number, number]> {
  const pairs: Array<[number, number]> = [];
  for (const link of links) {
    const l = left.map.get(link.left);
    const r = right.map.get(link.right);
    if (l !== undefined && r !== undefined) pairs.push([l, r]);
    else conflict(ctx, { table, row: `${left.name} #${link.left} – ${right.name} #${link.right}`, resolved: false, reason: `${l === undefined ? left.name : right.name} was not imported` });
  }
  return pairs;
}

/** Splits pairs into those already here and new ones (each new pair once). */
export function newPairs(pairs: Array<[number, number]>, existing: Array<[number, number]>): { fresh: Array<[number, number]>; known: number } {
  const seen = new Set(existing.map(([a, b]) => `${a}:${b}`));
  const fresh: Array<[number, number]> = [];
  for (const [a, b] of pairs) {
    const key = `${a}:${b}`;
    if (!seen.has(key)) fresh.push([a, b]);
    seen.add(key);
  }
  return { fresh, known: pairs.length - fresh.length };
}
