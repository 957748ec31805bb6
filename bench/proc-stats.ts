// Memory and CPU of the server under test, read from /proc (Linux) for the server process and
// every process it started (DJAM_WORKERS), so a multi-process server is measured whole.
import { readdirSync, readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';

const TICKS_PER_SECOND = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout?.trim()) || 100;

function read(path: string): string | undefined {
  try { return readFileSync(path, 'utf8'); } catch { return undefined; }
}

/** /proc/<pid>/stat after the command name, which may hold spaces: [state, ppid, ...]. */
function statFields(pid: number): string[] | undefined {
  const stat = read(`/proc/${pid}/stat`);
  return stat?.slice(stat.lastIndexOf(')') + 2).split(' ');
}

function processTree(root: number): number[] {
  let pids: number[];
  try { pids = readdirSync('/proc').filter((d) => /^\d+$/.test(d)).map(Number); } catch { return [root]; }
  const children = new Map<number, number[]>();
  for (const pid of pids) {
    const ppid = Number(statFields(pid)?.[1]);
    children.set(ppid, [...children.get(ppid) ?? [], pid]);
  }
  const tree = [root];
  for (let i = 0; i < tree.length; i++) tree.push(...children.get(tree[i]) ?? []);
  return tree;
}

function statusKb(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(read(`/proc/${pid}/status`) ?? '');
  return m ? Number(m[1]) : 0;
}

/** Resident memory of the whole tree now, in MB. */
export function rssMb(root: number): number {
  return processTree(root).reduce((sum, pid) => sum + statusKb(pid, 'VmRSS'), 0) / 1024;
}

/** CPU seconds (user + system) the tree has used so far. */
export function cpuSeconds(root: number): number {
  // utime and stime are fields 14 and 15 of /proc/<pid>/stat, 12 and 13 after the command name.
  const ticks = processTree(root).reduce((sum, pid) => {
    const f = statFields(pid);
    return sum + (f ? Number(f[11]) + Number(f[12]) : 0);
  }, 0);
  return ticks / TICKS_PER_SECOND;
}

/** Samples the tree's RSS while the suite runs; the peak is the larger of the samples and the kernel's high-water mark. */
export function watchRss(root: number, intervalMs = 200) {
  let peak = 0;
  const sample = () => { peak = Math.max(peak, rssMb(root)); };
  const timer = setInterval(sample, intervalMs);
  timer.unref();
  return {
    peakMb(): number {
      sample();
      return Math.max(peak, statusKb(root, 'VmHWM') / 1024);
    },
    stop: () => clearInterval(timer),
  };
}
