// Running wsfuzz (fuzzingclient mode) against the one-defect timing peers of test/peers/, each in
// its own process, over the cases the original's verdicts against them cover.
import { runFuzzingClient } from '../../src/modes/fuzzingclient.js';
import type { CaseResult } from '../../src/fuzz/result.js';
import { startPeerProcess } from './processes.js';
import { loadGolden, type GoldenRun } from './golden.js';

export const TIMING_DEFECTS = ['batch-reader', 'close-then-drop', 'no-utf8-check'] as const;
export type TimingDefect = (typeof TIMING_DEFECTS)[number];

/** Categories 1-7, 9 and 10: 301 cases. */
export const TIMING_CASES = ['1.*', '2.*', '3.*', '4.*', '5.*', '6.*', '7.*', '9.*', '10.*'];

/** The agent name the original's index files use for the peer. */
export function timingAgent(defect: TimingDefect): string {
  return `timing-peer-${defect}`;
}

/** The original's two runs against the peer. */
export function timingGoldens(defect: TimingDefect): GoldenRun[] {
  return [loadGolden(`${timingAgent(defect)}-index.json`), loadGolden(`${timingAgent(defect)}-index-run2.json`)];
}

/** Start the peer with `defect`, run TIMING_CASES against it, stop it; the case results in order. */
export async function runAgainstTimingPeer(defect: TimingDefect): Promise<CaseResult[]> {
  const peer = await startPeerProcess(`peers/${defect}.js`);
  try {
    const run = await runFuzzingClient({
      servers: [{ url: peer.url, agent: timingAgent(defect) }],
      cases: TIMING_CASES,
      excludeCases: [],
      excludeAgentCases: {},
      options: {},
      userAgent: 'wsfuzz-test',
    });
    return run.outcomes.map((o) => o.result);
  } finally {
    await peer.stop();
  }
}
