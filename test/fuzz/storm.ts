// A seeded batch of generated requests sent 8 at a time; each wrong answer is tallied by kind
// (the first of each kind kept with its request).
import fc from 'fast-check';
import { exchange, serialize } from './raw-http.ts';
import { requests } from './generators.ts';
import { judge } from './judge.ts';

export type Tally = Map<string, { count: number; first: string }>;

export async function storm(port: number, apiPaths: string[], count: number, seed: number, tally: Tally): Promise<void> {
  const work = fc.sample(requests(apiPaths), { seed, numRuns: count });
  const sendNext = async (): Promise<void> => {
    for (let req = work.shift(); req; req = work.shift()) {
      const problem = judge(req, await exchange(port, serialize(port, req)));
      if (!problem) continue;
      const kind = problem.split(':')[0]!;
      const seen = tally.get(kind) ?? { count: 0, first: `${problem.slice(0, 300)}\n    ${req.method} ${JSON.stringify(req.target.slice(0, 200))} ${JSON.stringify(req.headers).slice(0, 200)}` };
      tally.set(kind, { ...seen, count: seen.count + 1 });
    }
  };
  await Promise.all(Array.from({ length: 8 }, sendNext));
}

export function describeTally(tally: Tally): string {
  return [...tally].map(([kind, { count, first }]) => `${count} × ${kind}; first: ${first}`).join('\n');
}
