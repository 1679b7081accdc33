// wsfuzz's verdicts against the three one-defect timing peers (test/peers/batch-reader.ts,
// close-then-drop.ts, no-utf8-check.ts) must equal the original suite's on all 301 cases of
// categories 1-7, 9 and 10 (test/fixtures/golden/timing-peer-*). The original ran twice against
// each peer; a verdict it gave in either run counts. These peers see what the ws server does not:
// how the fuzzer's frames are grouped into TCP segments, and whether it drops TCP when it meets a
// second violation while closing (docs/engine.md, Writes and turns). Each peer runs in its own
// process, one after the other: run side by side (about 20 s instead of 35 s on 2 cores), the
// load sometimes made a 0.5 s kill timer of a 6.x case expire before the peer's FIN arrived.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { disagreements } from '../support/golden.js';
import { runAgainstTimingPeer, timingGoldens, TIMING_DEFECTS, type TimingDefect } from '../support/timing-peers.js';

async function compare(defect: TimingDefect): Promise<{ defect: TimingDefect; total: number; wrong: string[] }> {
  const results = await runAgainstTimingPeer(defect);
  return { defect, total: results.length, wrong: disagreements(results, timingGoldens(defect)) };
}

test('the timing peers: all 301 verdicts agree with the original on each', { timeout: 10 * 60_000 }, async () => {
  const started = performance.now();
  const runs: Array<Awaited<ReturnType<typeof compare>>> = [];
  for (const defect of TIMING_DEFECTS) runs.push(await compare(defect));
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  for (const { defect, total, wrong } of runs) {
    console.log(`# ${defect}: ${total - wrong.length}/${total} verdicts agree with the original`);
  }
  console.log(`# timing peers: ${seconds} s`);
  const report = runs
    .filter((r) => r.wrong.length > 0)
    .map((r) => `${r.defect}: ${r.wrong.length} of ${r.total} differ (case: wsfuzz behavior/behaviorClose/remoteCloseCode, original ...)\n  ${r.wrong.join('\n  ')}`);
  assert.equal(report.length, 0, report.join('\n'));
  for (const { total } of runs) assert.equal(total, 301);
});
