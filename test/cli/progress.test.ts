// Console progress (src/cli/progress.ts) with a fake stream and a fake clock: plain lines in logs
// (one per category, a progress line after 10 s of silence), nothing with --quiet, one line per case
// with --verbose, and the live line on terminals.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ProgressPrinter, type Verbosity } from '../../src/cli/progress.js';
import type { CaseOutcome, CaseResult } from '../../src/fuzz/result.js';
import type { ProgressEvent } from '../../src/modes/fuzzingclient.js';

const URL = 'ws://127.0.0.1:9001';

function printer(verbosity: Verbosity, tty = false) {
  let text = '';
  let clock = 0;
  const out = { isTTY: tty, write: (s: string) => ((text += s), true) } as unknown as NodeJS.WriteStream;
  const p = new ProgressPrinter(verbosity, out, { now: () => clock, timer: false });
  return {
    p,
    /** Advance the fake clock by `s` seconds. */
    wait: (s: number) => (clock += s * 1000),
    lines: () => text.split('\n').filter((l) => l !== ''),
    raw: () => text,
  };
}

function done(id: string, index: number, total: number, fields: Partial<CaseResult> = {}): ProgressEvent {
  const result = { agent: 'srv', id, behavior: 'OK', behaviorClose: 'OK', duration: 5, ...fields } as CaseResult;
  const outcome: CaseOutcome = { result, notes: [] };
  return { kind: 'case-done', url: URL, outcome, index, total };
}

/** Category 9 (4 cases, slow) then category 12 (2 cases), one failure. */
function longRun(t: ReturnType<typeof printer>): void {
  t.p.handle({ kind: 'server-start', url: URL, cases: 6 });
  t.wait(3);
  t.p.handle(done('9.1.1', 1, 6));
  t.wait(4);
  t.p.handle(done('9.1.2', 2, 6, { behavior: 'FAILED' }));
  t.wait(4); // 11 s since the first line
  t.p.handle(done('9.1.3', 3, 6));
  t.wait(9);
  t.p.handle(done('9.1.4', 4, 6));
  t.wait(25); // a long case: the timer's heartbeat speaks while nothing arrives
  t.p.heartbeat();
  t.p.heartbeat(); // right after a line: nothing
  t.wait(10);
  t.p.heartbeat();
  t.p.handle(done('12.1.1', 5, 6));
  t.wait(2);
  t.p.handle(done('12.1.2', 6, 6));
  t.p.done();
}

test('without a terminal: a line per category (its own time) and a progress line whenever 10 s pass without one', () => {
  const t = printer('normal');
  longRun(t);
  assert.deepEqual(t.lines(), [
    `Running 6 cases against ${URL}`,
    '  progress: 3/6 cases, 1 failing, 11 s (last: 9.1.3)',
    '  progress: 4/6 cases, 1 failing, 45 s (last: 9.1.4)',
    '  progress: 4/6 cases, 1 failing, 55 s (last: 9.1.4)',
    '  9 Limits/Performance: 4 cases, 1 failing (20.0 s)',
    '  12 WebSocket Compression (different payloads): 2 cases (37.0 s)',
  ]);
  assert.ok(!t.raw().includes('\r'), 'no terminal control characters in a log');
});

test('skipped cases count as progress; a new server starts its own count', () => {
  const t = printer('normal');
  t.p.handle({ kind: 'server-start', url: URL, cases: 3 });
  t.p.handle({ kind: 'case-skipped', url: URL, caseId: '1.1.1', agent: 'srv' });
  t.wait(12);
  t.p.heartbeat();
  t.p.handle({ kind: 'server-start', url: 'ws://other', cases: 2 });
  t.wait(10);
  t.p.heartbeat();
  assert.deepEqual(t.lines(), [`Running 3 cases against ${URL}`, '  progress: 1/3 cases, 12 s', 'Running 2 cases against ws://other', '  progress: 0/2 cases, 10 s']);
  t.p.done();
  t.wait(30);
  t.p.heartbeat();
  assert.equal(t.lines().length, 4, 'nothing after done()');
});

test('--quiet prints nothing, however long the run', () => {
  const t = printer('quiet');
  longRun(t);
  assert.equal(t.raw(), '');
});

test('--verbose: one line per case and the category lines, no progress lines', () => {
  const t = printer('verbose');
  longRun(t);
  const lines = t.lines();
  assert.equal(lines.filter((l) => /^ {2}srv \d/.test(l)).length, 6);
  assert.ok(lines.includes('  srv 9.1.2    FAILED / OK  5 ms'));
  assert.ok(!lines.some((l) => l.includes('progress:')), lines.join('\n'));
});

test('on a terminal: the live line as before, no progress lines', () => {
  const t = printer('normal', true);
  longRun(t);
  assert.ok(t.raw().includes('\r\x1b[K  5/6  12.1.1'));
  assert.ok(!t.raw().includes('progress:'));
  assert.ok(t.lines().some((l) => l.endsWith('9 Limits/Performance: 4 cases, 1 failing (20.0 s)')));
});
