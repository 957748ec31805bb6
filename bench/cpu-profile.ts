// Summarises the V8 CPU profiles the server writes under `npm run bench -- --cpu-prof`: self
// time per function and per package during each scenario's measured run, the first things to
// read when a budget is missed.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

interface ProfileNode { id: number; callFrame: { functionName: string; url: string; lineNumber: number } }
interface CpuProfile { nodes: ProfileNode[]; startTime: number; samples: number[]; timeDeltas: number[] }

/** A scenario's measured run, in microseconds of the monotonic clock V8 stamps its samples with (process.hrtime). */
export interface Window { name: string; startUs: number; endUs: number }

export const nowUs = () => Number(process.hrtime.bigint() / 1000n);

/** Where a function lives: a package, one of our folders, Node's internals, or the VM itself (GC, native code). */
function placeOf(url: string): string {
  if (!url) return '(vm: GC, native, program)';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1];
  if (url.startsWith('node:')) return 'node internals';
  const ours = /\/((?:src|bench|test)\/.*)$/.exec(url);
  return ours ? ours[1].split('/').slice(0, 2).join('/') : url;
}

function add(map: Map<string, number>, key: string, ms: number): void {
  map.set(key, (map.get(key) ?? 0) + ms);
}

function selfTimes(profile: CpuProfile, window: Window) {
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
  const byFunction = new Map<string, number>();
  const byPlace = new Map<string, number>();
  let totalMs = 0;
  let t = profile.startTime;
  profile.samples.forEach((id, i) => {
    t += profile.timeDeltas[i] ?? 0;
    if (t < window.startUs || t > window.endUs) return;
    const ms = (profile.timeDeltas[i] ?? 0) / 1000;
    const { functionName, url, lineNumber } = nodes.get(id)!.callFrame;
    if (functionName === '(idle)') return;
    const file = url.replace(/^.*node_modules\//, '').replace(/^.*\/(src|bench|test)\//, '$1/');
    add(byFunction, `${functionName || '(anonymous)'} ${file ? `${file}:${lineNumber + 1}` : ''}`.trim(), ms);
    add(byPlace, placeOf(url), ms);
    totalMs += ms;
  });
  return { byFunction, byPlace, totalMs };
}

function top(map: Map<string, number>, totalMs: number, n: number): string[] {
  return [...map].sort((a, b) => b[1] - a[1]).slice(0, n)
    .map(([k, ms]) => `${(100 * ms / totalMs).toFixed(1).padStart(5)} %  ${ms.toFixed(0).padStart(6)} ms  ${k}`);
}

/** For each scenario, the top self-time packages and functions of the server while it was measured (busy time only). */
export function summariseProfiles(dir: string, windows: Window[], n = 20): string {
  const profiles = readdirSync(dir).filter((f) => f.endsWith('.cpuprofile'))
    .map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as CpuProfile);
  return windows.flatMap((w) => profiles.map((p, i) => {
    const { byFunction, byPlace, totalMs } = selfTimes(p, w);
    const label = `${w.name}${profiles.length > 1 ? ` (process ${i + 1})` : ''}: ${(totalMs / 1000).toFixed(1)} s busy in ${((w.endUs - w.startUs) / 1e6).toFixed(1)} s`;
    return [label, 'by package or folder:', ...top(byPlace, totalMs, 12), 'by function:', ...top(byFunction, totalMs, n)].join('\n');
  })).join('\n\n');
}
