// Peer text on the terminal (src/cli/terminal.ts): control characters become escapes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { printable } from '../../src/cli/terminal.js';

test('control characters are shown as escapes; printable text is unchanged', () => {
  assert.equal(printable('ws/8.23 – Grüße'), 'ws/8.23 – Grüße');
  assert.equal(printable('a\nb\rc\td'), 'a\\nb\\rc\\td');
  assert.equal(printable('\x1b[2J\x00\x7f\x85\x9b'), '\\x1b[2J\\x00\\x7f\\x85\\x9b');
  assert.equal(printable('x\u2028y\u202ez'), 'x\\u2028y\\u202ez');
  assert.doesNotMatch(printable(Array.from({ length: 0xa0 }, (_, i) => String.fromCharCode(i)).join('')), /[\x00-\x1f\x7f-\x9f]/);
});
