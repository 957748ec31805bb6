// Argon2id hashes and verifications run on the libuv thread pool (4 threads unless
// UV_THREADPOOL_SIZE says otherwise), each with 19 MiB of memory of its own. The work is CPU-bound:
// more of it at once than there are cores adds no throughput, only memory (which the allocator
// keeps for each pool thread afterwards) and pool threads taken from file reads and DNS. So at most
// one per core runs at once; the others wait their turn, first come first served.
import { availableParallelism } from 'node:os';

/** Runs the tasks given to it, at most `slots` at a time, the rest in the order they came. */
export function concurrencyLimit(slots: number): <T>(task: () => Promise<T>) => Promise<T> {
  let running = 0;
  const waiting: Array<() => void> = [];
  return async (task) => {
    if (running < slots) running += 1;
    else await new Promise<void>((resolve) => waiting.push(resolve));
    try {
      return await task();
    } finally {
      // A finished task hands its slot straight to the next in line, so `running` stays the same.
      const next = waiting.shift();
      if (next) next();
      else running -= 1;
    }
  };
}

export const inHashingSlot = concurrencyLimit(Math.max(1, availableParallelism()));
