// Python 2 repr of Expected/Observed and other Python-style values (docs/reports.md, Python renderings).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { DisplayEvent } from '../../src/fuzz/result.js';
import { DisplayText, payloadText } from '../../src/fuzz/wirelog.js';
import {
  limit,
  pyBool,
  pyEventListRepr,
  pyEventRepr,
  pyExpectedRepr,
  pyFixed,
  pyStringRepr,
  pyValue,
} from '../../src/report/pyrepr.js';

const text = (s: string): DisplayText => payloadText(Buffer.from(s, 'utf8'));

test('the spec examples', () => {
  const hello: DisplayEvent = ['message', text('Hello, world!'), false];
  assert.equal(pyExpectedRepr({ OK: [hello], 'NON-STRICT': [] }), "{'OK': [('message', u'Hello, world!', False)], 'NON-STRICT': []}");
  assert.equal(pyEventListRepr([['pong', text('payload-0')], ['pong', text('payload-1')]]), "[('pong', u'payload-0'), ('pong', u'payload-1')]");
  assert.equal(
    pyExpectedRepr({ OK: [['timeout', 'A']], 'NON-STRICT': [['timeout', 'A'], ['timeout', 'B']] }),
    "{'OK': [('timeout', 'A')], 'NON-STRICT': [('timeout', 'A'), ('timeout', 'B')]}",
  );
  assert.equal(pyStringRepr('Hello-\u00b5@\u00df\u00f6\u00e4\u00fc\u00e0\u00e1-UTF-8!!', true), "u'Hello-\\xb5@\\xdf\\xf6\\xe4\\xfc\\xe0\\xe1-UTF-8!!'");
  assert.equal(pyEventRepr(['message', payloadText(Buffer.alloc(100, 0x2a)), false]), `('message', u'${'*'.repeat(64)} ...', False)`);
});

test('empty containers and strings', () => {
  assert.equal(pyExpectedRepr({}), '{}');
  assert.equal(pyExpectedRepr({ OK: [] }), "{'OK': []}");
  assert.equal(pyEventListRepr([]), '[]');
  assert.equal(pyEventRepr(['message', text(''), false]), "('message', u'', False)");
});

test('hex-fallback payloads are plain strings; binary flags print as True', () => {
  const invalid = payloadText(Buffer.from([0xfe, 0xfe]));
  assert.equal(invalid.decoded, false);
  assert.equal(pyEventRepr(['message', invalid, true]), "('message', '0xfefe', True)");
  const long = payloadText(Buffer.alloc(100, 0xfe));
  assert.equal(pyEventRepr(['pong', long]), `('pong', '0x${'fe'.repeat(64)} ...')`);
});

test('quoting: single quotes unless that needs escaping and double quotes do not', () => {
  assert.equal(pyStringRepr("it's", true), `u"it's"`);
  assert.equal(pyStringRepr(`a'b"c`, true), `u'a\\'b"c'`);
  assert.equal(pyStringRepr('say "hi"', false), `'say "hi"'`);
  assert.equal(pyStringRepr('back\\slash', false), "'back\\\\slash'");
});

test('escapes: control characters, Latin-1, BMP and astral code points, lone surrogates', () => {
  assert.equal(pyStringRepr('\t\n\r', true), "u'\\t\\n\\r'");
  assert.equal(pyStringRepr('\u0000\u001f\u007f', true), "u'\\x00\\x1f\\x7f'");
  assert.equal(pyStringRepr('\u00ff\u0100\u20ac', true), "u'\\xff\\u0100\\u20ac'");
  assert.equal(pyStringRepr('\u{1F600}', true), "u'\\U0001f600'");
  assert.equal(pyStringRepr('\ud800', true), "u'\\ud800'");
  assert.equal(pyStringRepr('~ plain ASCII ~', true), "u'~ plain ASCII ~'");
});

test('limit keeps up to 996 characters, and cuts longer text to 996 + " ..."', () => {
  assert.equal(limit(a(996)), a(996));
  assert.equal(limit(a(997)), a(996) + ' ...');
  assert.equal(limit(a(1000)), a(996) + ' ...');
  assert.equal(limit(a(5000)).length, 1000);
  // Characters are code points.
  const smiley = '\u{1F600}';
  assert.equal(limit(smiley.repeat(996)), smiley.repeat(996));
  assert.equal(limit(smiley.repeat(997)), smiley.repeat(996) + ' ...');
});

test('a long Expected repr is limited', () => {
  const events: DisplayEvent[] = Array.from({ length: 40 }, () => ['message', payloadText(Buffer.alloc(100, 0x2a)), false]);
  const repr = limit(pyExpectedRepr({ OK: events }));
  assert.equal(repr.length, 1000);
  assert.ok(repr.startsWith("{'OK': [('message', u'****"));
  assert.ok(repr.endsWith(' ...'));
});

test('Python-style values', () => {
  assert.equal(pyBool(true), 'True');
  assert.equal(pyValue(false), 'False');
  assert.equal(pyValue(null), 'None');
  assert.equal(pyValue(1000), '1000');
  assert.equal(pyValue('peer did not respond'), 'peer did not respond');
});

test('pyFixed matches "%.3f" and "%f", including half-even ties', () => {
  assert.equal(pyFixed(1, 3), '1.000');
  assert.equal(pyFixed(0.2920625, 3), '0.292');
  assert.equal(pyFixed(0.0625, 3), '0.062'); // exact tie: to even (toFixed would say 0.063)
  assert.equal(pyFixed(0.1875, 3), '0.188');
  assert.equal(pyFixed(0.9995, 3), '1.000'); // not a tie: the double is just above .9995
  assert.equal(pyFixed(9.5, 0), '10');
  assert.equal(pyFixed(8.5, 0), '8');
  assert.equal(pyFixed(-0.0625, 3), '-0.062');
  assert.equal(pyFixed(0.5, 6), '0.500000');
  assert.equal(pyFixed(60, 6), '60.000000');
});

function a(n: number): string {
  return 'a'.repeat(n);
}
