// textwrap.wrap(text, 100) emulation (docs/reports.md, Wire-log rendering). Expected values worked out by hand from
// Python 2.7's textwrap rules (and confirmed against a Python 2.7 interpreter).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { expandTabs, wrap } from '../../src/report/textwrap.js';
import { hexdump, payloadText } from '../../src/fuzz/wirelog.js';

const a = (n: number): string => 'a'.repeat(n);
const x = (n: number): string => 'x'.repeat(n);

test('empty and all-whitespace texts give no lines', () => {
  assert.deepEqual(wrap(''), []);
  assert.deepEqual(wrap('   '), []);
  assert.deepEqual(wrap('\n\t'), []);
});

test('short text is one line', () => {
  assert.deepEqual(wrap('Hello, world!'), ['Hello, world!']);
  assert.deepEqual(wrap('0x03e8'), ['0x03e8']);
});

test('a truncated 64-octet hexdump: 100 hex digits, then 28 digits and " ..."', () => {
  const octets = Buffer.alloc(64, 0xab);
  const dump = hexdump(octets);
  assert.equal(dump, 'ab'.repeat(64) + ' ...');
  assert.deepEqual(wrap(dump), ['ab'.repeat(50), 'ab'.repeat(14) + ' ...']);
});

test('a 61-octet hexdump keeps all 122 digits: 100, then 22 and " ..."', () => {
  const dump = hexdump(Buffer.alloc(61, 0x01));
  assert.deepEqual(wrap(dump), ['01'.repeat(50), '01'.repeat(11) + ' ...']);
});

test('a hex-fallback payload text of 64+ octets: "0x" plus 98 digits, then 30 digits and " ..."', () => {
  const text = payloadText(Buffer.alloc(70, 0xfe)).text;
  assert.equal(text, '0x' + 'fe'.repeat(64) + ' ...');
  assert.deepEqual(wrap(text), ['0x' + 'fe'.repeat(49), 'fe'.repeat(15) + ' ...']);
});

test('greedy fill at spaces; the space at the break is dropped', () => {
  const words = Array<string>(30).fill('word');
  // "word " x 20 is exactly 100 characters; its final space is dropped.
  assert.deepEqual(wrap(words.join(' ')), [words.slice(0, 20).join(' '), words.slice(20).join(' ')]);
});

test('a word that does not fit moves to the next line; trailing whitespace is dropped', () => {
  assert.deepEqual(wrap('hello     ' + x(100)), ['hello', x(100)]);
});

test('leading whitespace is kept on the first line only', () => {
  assert.deepEqual(wrap(' hello world'), [' hello world']);
  // "   " + 98 a's does not fit on one line, so the first line would hold only the blanks;
  // a line that ends up empty is not emitted (Python does the same).
  assert.deepEqual(wrap('   ' + a(98) + ' b'), [a(98) + ' b']);
});

test('hyphenated words break after the hyphen (two word characters each side, letter before it)', () => {
  assert.deepEqual(wrap(a(90) + ' well-known'), [a(90) + ' well-', 'known']);
  assert.deepEqual(wrap(a(92) + ' abc-defgh'), [a(92) + ' abc-', 'defgh']);
  // A digit before the hyphen prevents the break.
  assert.deepEqual(wrap(a(92) + ' ab1-cdefg'), [a(92), 'ab1-cdefg']);
  // Single letters around hyphens do not split at all.
  assert.deepEqual(wrap('a-b-c-d'), ['a-b-c-d']);
});

test('an em-dash between words is its own chunk', () => {
  assert.deepEqual(wrap(a(95) + ' x--yz'), [a(95) + ' x--', 'yz']);
});

test('over-long words are broken to fill the current line', () => {
  assert.deepEqual(wrap('abc ' + x(200)), ['abc ' + x(96), x(100), x(4)]);
  assert.deepEqual(wrap('-'.repeat(150)), ['-'.repeat(100), '-'.repeat(50)]);
});

test('tabs are expanded to columns of 8, other ASCII whitespace becomes a space', () => {
  assert.equal(expandTabs('a\tb'), 'a       b');
  assert.equal(expandTabs('ab\tc\td'), 'ab      c       d');
  assert.equal(expandTabs('abc\n\td'), 'abc\n        d');
  assert.deepEqual(wrap('a\tb'), ['a       b']);
  assert.deepEqual(wrap('a\nb\r\nc'), ['a b  c']);
  assert.deepEqual(wrap('a\u000bb\u000cc'), ['a b c']);
});

test('lengths count code points, not UTF-16 units', () => {
  const smiley = '\u{1F600}';
  assert.deepEqual(wrap(smiley.repeat(150)), [smiley.repeat(100), smiley.repeat(50)]);
  assert.deepEqual(wrap('\u00b5'.repeat(100)), ['\u00b5'.repeat(100)]);
});

test('Unicode spaces are not replaced, but separate words and vanish at line ends', () => {
  assert.deepEqual(wrap('a\u00a0b'), ['a\u00a0b']);
  assert.deepEqual(wrap(a(100) + '\u00a0b'), [a(100), 'b']);
});

test('narrower widths follow the same rules', () => {
  assert.deepEqual(wrap('the quick brown fox', 10), ['the quick', 'brown fox']);
  assert.throws(() => wrap('a', 0), RangeError);
});
