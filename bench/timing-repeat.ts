// Repeatability against a timing peer: runs categories 1-7, 9 and 10 (301 cases) several times
// against the same one-defect peer (default: the batch reader, test/peers/batch-reader.ts, which
// behaves like servers on asyncio event loops) and prints each run's NON-STRICT count, its
// agreement with the original's verdicts, and whether all runs gave the same verdicts (with the
// cases that flipped). Run by hand after `npm run build`:
//   node dist/bench/timing-repeat.js [--runs 3] [--peer batch-reader|close-then-drop|no-utf8-check]
import { parseArgs } from 'node:util';
import type { CaseResult } from '../src/fuzz/result.js';
import { disagreements } from '../test/support/golden.js';
import { runAgainstTimingPeer, timingGoldens, TIMING_DEFECTS, type TimingDefect } from '../test/support/timing-peers.js';

const { values } = parseArgs({
  options: { runs: { type: 'string', default: '3' }, peer: { type: 'string', default: 'batch-reader' } },
});
const runs = Number(values.runs);
const defect = values.peer as TimingDefect;
if (!Number.isInteger(runs) || runs < 1) throw new Error(`--runs must be a positive integer, not '${values.runs}'`);
if (!TIMING_DEFECTS.includes(defect)) throw new Error(`--peer must be one of ${TIMING_DEFECTS.join(', ')}, not '${values.peer}'`);

const verdict = (r: CaseResult) => `${r.behavior}/${r.behaviorClose}/${r.remoteCloseCode}`;
const goldens = timingGoldens(defect);
const all: CaseResult[][] = [];
for (let i = 1; i <= runs; i++) {
  const started = performance.now();
  const results = await runAgainstTimingPeer(defect);
  all.push(results);
  const nonStrict = results.filter((r) => r.behavior === 'NON-STRICT').map((r) => r.id);
  const wrong = disagreements(results, goldens);
  console.log(
    `run ${i}: ${((performance.now() - started) / 1000).toFixed(1)} s, NON-STRICT ${nonStrict.length} (${nonStrict.join(' ')}), ` +
      `${results.length - wrong.length}/${results.length} agree with the original`,
  );
}

const flipped = all[0]!
  .map((r, i) => ({ id: r.id, verdicts: all.map((run) => verdict(run[i]!)) }))
  .filter((c) => new Set(c.verdicts).size > 1);
console.log(flipped.length === 0 ? `identical verdicts in all ${runs} runs` : `verdicts differ between runs on ${flipped.length} cases:`);
for (const c of flipped) console.log(`  ${c.id}: ${c.verdicts.join(' | ')}`);
process.exitCode = flipped.length === 0 ? 0 : 1;
