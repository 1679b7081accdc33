// The verdict vocabulary (src/fuzz/verdicts.ts): the exact strings and the pass rule of docs/verdicts.md.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Behavior, BehaviorClose, CLOSE_VERDICTS, isMainVerdict, MAIN_VERDICTS, toMainVerdict } from '../../src/fuzz/verdicts.js';

test('the strings reports and scripts match on', () => {
  assert.deepEqual([...MAIN_VERDICTS].sort(), ['FAILED', 'INFORMATIONAL', 'NON-STRICT', 'NO_CLOSE', 'OK', 'UNIMPLEMENTED']);
  assert.deepEqual([...CLOSE_VERDICTS].sort(), ['FAILED', 'FAILED BY CLIENT', 'INFORMATIONAL', 'OK', 'UNCLEAN', 'WRONG CODE']);
  assert.deepEqual(Object.values(Behavior).sort(), [...MAIN_VERDICTS].sort());
  assert.deepEqual(Object.values(BehaviorClose).sort(), [...CLOSE_VERDICTS].sort());
});

test('a main verdict held as a string is checked, not trusted', () => {
  assert.equal(toMainVerdict('NON-STRICT'), 'NON-STRICT');
  assert.equal(isMainVerdict('WRONG CODE'), false);
  assert.throws(() => toMainVerdict('WRONG CODE'), /not a main verdict: 'WRONG CODE'/);
  assert.throws(() => toMainVerdict('ok'), /not a main verdict/);
});
