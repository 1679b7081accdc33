// One node:test subtest per case of a run (`import { caseTests } from 'wsfuzz/node-test'`): a failing
// case fails its own subtest, named by its case ID, with the verdict and the report file in the message.
import assert from 'node:assert/strict';
import type { TestContext } from 'node:test';
import { ALL_IDS } from '../cases/index.js';
import { compareIds } from '../cases/ids.js';
import { selectCases } from '../cases/selection.js';
import type { IndexEntry, IndexJson } from '../report/index-json.js';
import { CLOSE_VERDICTS, isFailure, isMainVerdict, type CloseVerdict } from '../fuzz/verdicts.js';

export interface CaseTestsOptions {
  /**
   * Case patterns (as in `cases`, e.g. '9.3.*') that are known to fail: their subtests are marked
   * `todo`, so they are reported but do not fail the run.
   */
  knownFailures?: string | readonly string[];
}

/** Whether a case of index.json fails; verdict texts wsfuzz does not know (a hand-edited file) fail too. */
function fails(e: IndexEntry): boolean {
  const close = e.behaviorClose as CloseVerdict;
  if (!isMainVerdict(e.behavior) || !CLOSE_VERDICTS.includes(close)) return true;
  return isFailure({ behavior: e.behavior, behaviorClose: close });
}

/** The message of a failing case: what the reports show, and where its page is. */
function failureText(id: string, e: IndexEntry): string {
  const code = e.remoteCloseCode === null ? 'no close code' : `close code ${e.remoteCloseCode}`;
  return `case ${id}: ${e.behavior}, closing behavior ${e.behaviorClose} (${code}); see ${e.reportfile}`;
}

async function agentTests(t: TestContext, cases: Record<string, IndexEntry>, known: ReadonlySet<string>): Promise<void> {
  for (const id of Object.keys(cases).sort(compareIds)) {
    const entry = cases[id]!;
    await t.test(id, known.has(id) ? { todo: 'known failure' } : {}, () => {
      if (fails(entry)) assert.fail(failureText(id, entry));
    });
  }
}

/**
 * Add one subtest per case of `results` (what fuzzingclient() or a fuzzing server's stop() resolve
 * to, or a parsed index.json) to the test `t`. With several agents, each gets a subtest of its own
 * holding its cases. A case passes by the pass rule of the exit status (docs/verdicts.md, Pass and fail).
 */
export async function caseTests(t: TestContext, results: IndexJson, options: CaseTestsOptions = {}): Promise<void> {
  const patterns = typeof options.knownFailures === 'string' ? options.knownFailures.split(',') : (options.knownFailures ?? []);
  const known = new Set(selectCases(patterns.map((p) => p.trim()).filter((p) => p !== ''), [], ALL_IDS));
  const agents = Object.keys(results);
  if (agents.length === 0) assert.fail('no results: no case was run');
  if (agents.length === 1) return agentTests(t, results[agents[0]!]!, known);
  for (const agent of agents) await t.test(agent, (agentT) => agentTests(agentT, results[agent]!, known));
}
