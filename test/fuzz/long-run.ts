// `npm run fuzz`: the long storm of #18 §1 (DJAM_FUZZ_RUNS, default 100,000 requests, 8 at a
// time) against an in-process server; prints 5xx, resets and the process's RSS before and after.
import { describeTally, storm, type Tally } from './storm.ts';
import { assertTokenStillIssued, startFuzzServer } from './fuzz-server.ts';

const RUNS = Number(process.env.DJAM_FUZZ_RUNS ?? 100_000);
const SEED = Number(process.env.DJAM_FUZZ_SEED ?? 18);
const BATCH = 1000;
// A script has no test context: the server's teardown (in the order given, as t.after) runs before exiting.
let teardown = async (): Promise<void> => {};
const fuzz = await startFuzzServer({ after: (fn: () => Promise<void>) => { const earlier = teardown; teardown = async () => { await earlier(); await fn(); }; } });
const mb = () => Math.round(process.memoryUsage().rss / 1024 / 1024);
const say = (line: string) => process.stdout.write(`${line}\n`);
const gc = (globalThis as { gc?: () => void }).gc;

// Caches, pools and the heap grow to their working size in the first ~10,000 requests; the 10 %
// bound is on what the storm adds after that.
for (let i = 1; i <= 10; i++) await storm(fuzz.port, fuzz.apiPaths, BATCH, SEED - i, new Map());
gc?.();
const before = mb();
const tally: Tally = new Map();
const started = Date.now();
for (let done = 0; done < RUNS; done += BATCH) {
  await storm(fuzz.port, fuzz.apiPaths, Math.min(BATCH, RUNS - done), SEED + done, tally);
  if ((done / BATCH) % 10 === 9) say(`${done + BATCH} requests, ${mb()} MB RSS, ${Math.round((Date.now() - started) / 1000)} s`);
}
gc?.();
const after = mb();
await assertTokenStillIssued(fuzz.server);
say(`${RUNS} requests in ${Math.round((Date.now() - started) / 1000)} s; ${tally.size ? `failures:\n${describeTally(tally)}` : 'no 5xx, no reset, every error in its shape'}`);
say(`RSS after warm-up ${before} MB, after the storm ${after} MB (${(((after - before) / before) * 100).toFixed(1)} %); a normal token request still succeeds`);
await teardown();
process.exit(tally.size === 0 && after <= before * 1.1 ? 0 : 1);
