// Which cases share the process (src/modes/schedule.ts; docs/modes.md, Parallel cases): checked with
// cases that end when the test says so, no peer and no clock.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runScheduled } from '../../src/modes/schedule.js';
import { caseById } from '../../src/cases/index.js';

/** Runs `ids` with `jobs`; each case ends only when released; records what was running when each started. */
function harness(ids: string[], jobs: number) {
  const running = new Set<string>();
  const started: string[] = [];
  const beside = new Map<string, string[]>();
  const release = new Map<string, () => void>();
  const done = runScheduled(
    ids,
    jobs,
    (i) =>
      new Promise<void>((resolve) => {
        const id = ids[i]!;
        beside.set(id, [...running]);
        running.add(id);
        started.push(id);
        release.set(id, () => {
          running.delete(id);
          resolve();
        });
      }),
    () => false,
  );
  const settle = () => new Promise((resolve) => setImmediate(resolve));
  /** End every running case, one turn at a time, until all ran. */
  const drain = async () => {
    for (let turn = 0; turn < 10_000; turn++) {
      await settle();
      const next = [...running][0];
      if (next === undefined) break;
      release.get(next)!();
    }
    await done;
  };
  return { started, beside, running, drain, settle };
}

const IDS = ['1.1.1', '1.1.8', '2.1', '3.3', '5.19', '6.4.1', '7.1.1', '9.1.1', '12.1.1', '12.1.2', '13.1.1'];

test('the schedule marks the cases whose writes are queued, and the ones that wait', () => {
  assert.equal(caseById('3.4').schedule, 'alone');
  assert.equal(caseById('5.20').schedule, 'waits');
  assert.equal(caseById('6.4.3').schedule, 'waits');
  assert.equal(caseById('3.2').schedule, undefined); // its frames leave in one write
  assert.equal(caseById('9.5.1').schedule, undefined); // one frame: only the echo is judged
  assert.equal(caseById('12.2.15').schedule, 'alternates');
  assert.equal(caseById('13.7.18').schedule, 'alternates');
  assert.equal(caseById('9.1.5').schedule, 'large'); // 8 MiB
  assert.equal(caseById('9.4.9').schedule, 'large'); // 4 MiB in fragments
  assert.equal(caseById('9.1.3').schedule, undefined); // 1 MiB
});

test('--jobs 2: up to four compression cases at once, fewer beside other cases', async () => {
  const ids = ['9.1.1', '12.1.1', '12.1.2', '12.1.3', '12.1.4', '12.1.5', '13.1.1'];
  const h = harness(ids, 2);
  await h.settle();
  assert.deepEqual([...h.running], ['9.1.1', '12.1.1', '12.1.2'], 'one whole case and two halves');
  await h.drain();
  assert.deepEqual(h.started, ids);
  assert.ok(ids.some((id) => h.beside.get(id)!.length === 3), 'four compression cases ran at once');
});

test('--jobs 4: at most two cases with 4 MiB messages at once', async () => {
  const ids = ['9.1.3', '9.1.4', '9.1.5', '9.1.6', '9.2.5', '9.3.1', '9.4.1'];
  const h = harness(ids, 4);
  await h.settle();
  assert.deepEqual([...h.running], ['9.1.3', '9.1.4', '9.1.5'], '9.1.3 (1 MiB) and two large ones');
  await h.drain();
  assert.deepEqual(h.started, ids);
  for (const id of ids) {
    const large = [id, ...h.beside.get(id)!].filter((other) => caseById(other).schedule === 'large');
    assert.ok(large.length <= 2, `${id} started beside ${h.beside.get(id)}`);
  }
});

test('--jobs 1: one case at a time, in catalogue order', async () => {
  const h = harness(IDS, 1);
  await h.drain();
  assert.deepEqual(h.started, IDS);
  for (const id of IDS) assert.deepEqual(h.beside.get(id), [], id);
});

test('--jobs 2: waiting cases beside everything, queued-write cases with nothing else, the rest two at a time', async () => {
  const h = harness(IDS, 2);
  await h.drain();
  assert.deepEqual(h.started.slice(0, 2), ['5.19', '6.4.1']);
  assert.equal(h.started.length, IDS.length);
  const waits = new Set(['5.19', '6.4.1']);
  for (const id of ['1.1.8', '3.3']) {
    assert.deepEqual(h.beside.get(id)!.filter((other) => !waits.has(other)), [], `${id} started beside ${h.beside.get(id)}`);
  }
  // A compression case counts as half a case.
  const weight = (id: string) => (caseById(id).schedule === 'alternates' ? 1 : 2);
  for (const id of IDS.filter((id) => !waits.has(id))) {
    const others = h.beside.get(id)!.filter((other) => !waits.has(other));
    const load = others.reduce((sum, other) => sum + weight(other), weight(id));
    assert.ok(load <= 4, `${id} started beside ${others}`);
    assert.ok(!others.includes('1.1.8') && !others.includes('3.3'), `${id} started beside a queued-write case`);
  }
  // The pool keeps catalogue order.
  const pool = h.started.filter((id) => !waits.has(id) && id !== '1.1.8' && id !== '3.3');
  assert.deepEqual(pool, IDS.filter((id) => pool.includes(id)));
});
