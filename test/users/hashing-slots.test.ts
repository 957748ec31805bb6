// The limit on concurrent Argon2id work (src/users/hashing-slots.ts): never more tasks at once
// than slots, the waiting ones start in the order they came, and a failing task frees its slot.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { concurrencyLimit } from '../../src/users/hashing-slots.ts';

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('concurrencyLimit', () => {
  it('runs at most `slots` tasks at once, the others in arrival order', async () => {
    const run = concurrencyLimit(2);
    let running = 0;
    let most = 0;
    const started: number[] = [];
    const task = (n: number) => run(async () => {
      started.push(n);
      running += 1;
      most = Math.max(most, running);
      await tick();
      running -= 1;
      return n;
    });
    assert.deepEqual(await Promise.all([1, 2, 3, 4, 5].map(task)), [1, 2, 3, 4, 5]);
    assert.equal(most, 2);
    assert.deepEqual(started, [1, 2, 3, 4, 5]);
  });

  it('frees the slot of a task that fails', async () => {
    const run = concurrencyLimit(1);
    await assert.rejects(run(() => Promise.reject(new Error('boom'))), /boom/);
    assert.equal(await run(async () => 'next'), 'next');
  });
});
