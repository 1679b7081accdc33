// The console summary and the pass/fail rule the exit status is based on.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { casesText, summarize, summaryLine } from '../../src/report/summary.js';
import type { CaseResult } from '../../src/fuzz/result.js';
import { isFailure, type CloseVerdict, type MainVerdict } from '../../src/fuzz/verdicts.js';

function result(agent: string, id: string, behavior: MainVerdict, behaviorClose: CloseVerdict = 'OK'): CaseResult {
  return { agent, id, behavior, behaviorClose, duration: 5 } as CaseResult;
}

test('what counts as a failure: the verdicts Autobahn colours red', () => {
  for (const b of ['OK', 'NON-STRICT', 'INFORMATIONAL', 'UNIMPLEMENTED'] as const) assert.equal(isFailure({ behavior: b, behaviorClose: 'OK' }), false, b);
  for (const c of ['OK', 'INFORMATIONAL', 'FAILED BY CLIENT'] as const) assert.equal(isFailure({ behavior: 'OK', behaviorClose: c }), false, c);
  assert.equal(isFailure({ behavior: 'FAILED', behaviorClose: 'OK' }), true);
  for (const c of ['FAILED', 'WRONG CODE', 'UNCLEAN'] as const) assert.equal(isFailure({ behavior: 'OK', behaviorClose: c }), true, c);
});

test('one line per agent, verdicts in a fixed order, failing cases named and abbreviated', () => {
  const results = [
    result('b', '1.1.1', 'OK'),
    result('a', '1.1.1', 'FAILED'),
    result('a', '1.1.2', 'OK', 'WRONG CODE'),
    result('a', '1.1.3', 'NON-STRICT'),
    ...Array.from({ length: 9 }, (_, i) => result('c', `2.${i + 1}`, 'FAILED')),
  ];
  const lines = summarize(results).map(summaryLine);
  assert.deepEqual(lines, [
    'a: 3 cases: 1 OK, 1 NON-STRICT, 1 FAILED; 2 failing (1.1.1, 1.1.2)',
    'b: 1 case: 1 OK; no failures',
    'c: 9 cases: 9 FAILED; 9 failing (2.1, 2.2, 2.3, 2.4, 2.5, 2.6, 2.7, 2.8, … 1 more)',
  ]);
});

test('counts of cases read as English', () => {
  assert.equal(casesText(0), '0 cases');
  assert.equal(casesText(1), '1 case');
  assert.equal(casesText(517), '517 cases');
});
