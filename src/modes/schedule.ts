// The order and overlap in which a server's selected cases run (docs/modes.md, Parallel cases).
// Each case has its own connection, timers and verdict; the schedule only decides which cases share
// the process (and the peer) at a time. Results are reported in catalogue order whatever the order
// in which they finish.
import { availableParallelism } from 'node:os';
import { caseById } from '../cases/index.js';

/**
 * Cases with a message of 4 MiB or more ('large') running at once, whatever --jobs is: each holds
 * its message several times over (sent, echoed, assembled), so peak memory does not grow with the
 * number of cores.
 */
const MAX_LARGE_AT_ONCE = 2;

/** --jobs when none is given: one case per available core (at most 64, the option's bound). */
export function defaultJobs(): number {
  return Math.max(1, Math.min(64, availableParallelism()));
}

/**
 * Run `run(i)` for every index of `ids`. With jobs = 1 one case at a time in catalogue order, as
 * the original. Otherwise, by each case's `schedule` (CaseDefinition):
 * - 'waits' cases (seconds of their own timers, a few small writes) all start at once and run
 *   beside everything else;
 * - 'alone' cases (queued writes, whose verdict can depend on how the peer's reads group them)
 *   run one at a time, with nothing beside them but the 'waits' cases;
 * - then the others, up to `jobs` at a time, in catalogue order, where an 'alternates' case (a
 *   compression case: it and the peer take turns, message by message) counts as half a case and
 *   at most MAX_LARGE_AT_ONCE 'large' cases run at once.
 * `stopped()` true: no further case starts.
 */
export async function runScheduled(
  ids: readonly string[],
  jobs: number,
  run: (index: number) => Promise<void>,
  stopped: () => boolean,
): Promise<void> {
  const all = ids.map((_, i) => i);
  if (jobs <= 1) {
    for (const i of all) {
      if (stopped()) return;
      await run(i);
    }
    return;
  }
  const schedule = (i: number) => caseById(ids[i]!).schedule;
  const waiting = Promise.all(all.filter((i) => schedule(i) === 'waits').map(run));
  for (const i of all.filter((i) => schedule(i) === 'alone')) {
    if (stopped()) break;
    await run(i);
  }
  const pool = all.filter((i) => schedule(i) !== 'waits' && schedule(i) !== 'alone');
  // Capacity in half cases.
  const weight = (i: number) => (schedule(i) === 'alternates' ? 1 : 2);
  let free = 2 * jobs;
  let large = 0;
  let next = 0;
  const running = new Set<Promise<void>>();
  while (next < pool.length && !stopped()) {
    const i = pool[next]!;
    const isLarge = schedule(i) === 'large';
    if ((weight(i) > free || (isLarge && large >= MAX_LARGE_AT_ONCE)) && running.size > 0) {
      await Promise.race(running);
      continue;
    }
    next++;
    free -= weight(i);
    if (isLarge) large++;
    const one: Promise<void> = run(i).finally(() => {
      free += weight(i);
      if (isLarge) large--;
      running.delete(one);
    });
    running.add(one);
  }
  await Promise.all(running);
  await waiting;
}
