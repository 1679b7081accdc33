// --junit: the document is well-formed XML 1.0 (checked by a strict reader), escapes what the peer
// controls, and says per case what CI test views show: suite per category, failure with the texts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renderJunit, xmlAttr, xmlText } from '../../src/report/junit.js';
import type { CaseResult } from '../../src/fuzz/result.js';
import { elements, parseXml } from '../support/xml.js';

function result(agent: string, id: string, behavior: string, behaviorClose = 'OK', extra: Partial<CaseResult> = {}): CaseResult {
  return {
    agent,
    id,
    behavior,
    behaviorClose,
    duration: 1234,
    remoteCloseCode: 1000,
    result: 'Actual events match at least one expected.',
    resultClose: 'Connection was properly closed',
    ...extra,
  } as CaseResult;
}

test('one testsuite per agent and category, one testcase per case, times in seconds', () => {
  const results = [result('ws', '2.1', 'OK'), result('ws', '1.1.2', 'OK'), result('ws', '1.1.10', 'NON-STRICT'), result('ws', '1.2.1', 'INFORMATIONAL')];
  const root = parseXml(renderJunit(results, { reportDir: 'reports/servers' }));
  assert.equal(root.name, 'testsuites');
  assert.equal(root.attrs.tests, '4');
  assert.equal(root.attrs.failures, '0');
  const suites = elements(root, 'testsuite');
  assert.deepEqual(suites.map((s) => s.attrs.name), ['1 Framing (ws)', '2 Pings/Pongs (ws)']);
  assert.deepEqual(suites.map((s) => s.attrs.tests), ['3', '1']);
  const cases = elements(suites[0]!, 'testcase');
  assert.deepEqual(cases.map((c) => c.attrs.name), ['1.1.2 Framing / Text Messages', '1.1.10 Framing / Text Messages', '1.2.1 Framing / Binary Messages']);
  assert.deepEqual(cases.map((c) => c.attrs.classname), ['wsfuzz.ws.1', 'wsfuzz.ws.1', 'wsfuzz.ws.1']);
  assert.equal(cases[0]!.attrs.time, '1.234');
  assert.equal(suites[0]!.attrs.time, '3.702');
  assert.deepEqual(elements(root, 'failure'), []);
});

test('a failing case (main or close verdict) has a <failure> with result, close result and case page; UNIMPLEMENTED is skipped', () => {
  const results = [
    result('ws', '9.3.1', 'FAILED', 'FAILED', { result: 'Did not receive message within 100 seconds.', resultClose: 'The connection was failed by the wrong endpoint', remoteCloseCode: 1008 }),
    result('ws', '7.5.1', 'OK', 'UNCLEAN', { resultClose: 'The spec requires the connection to be failed cleanly here', remoteCloseCode: null }),
    result('ws', '12.1.1', 'UNIMPLEMENTED', 'OK', { result: 'Extension not implemented.' }),
  ];
  const root = parseXml(renderJunit(results, { reportDir: 'out' }));
  assert.equal(root.attrs.failures, '2');
  const byName = new Map(elements(root, 'testcase').map((c) => [c.attrs.name!.split(' ')[0], c]));
  const failed = elements(byName.get('9.3.1')!, 'failure')[0]!;
  assert.equal(failed.attrs.message, 'FAILED / FAILED');
  assert.equal(failed.attrs.type, 'FAILED');
  assert.match(failed.text, /^Result: FAILED: Did not receive message within 100 seconds\.$/m);
  assert.match(failed.text, /^Close: FAILED: The connection was failed by the wrong endpoint \(remote close code 1008\)$/m);
  assert.match(failed.text, /^Case page: out\/ws_case_9_3_1\.html$/m);
  assert.match(elements(byName.get('7.5.1')!, 'failure')[0]!.text, /remote close code none/);
  assert.equal(elements(byName.get('12.1.1')!, 'failure').length, 0);
  assert.equal(elements(byName.get('12.1.1')!, 'skipped')[0]!.attrs.message, 'UNIMPLEMENTED: Extension not implemented.');
  assert.equal(elements(root, 'testsuite').find((s) => s.attrs.name!.startsWith('12 '))!.attrs.skipped, '1');
});

test('peer-controlled agent names and texts: escaped, characters illegal in XML 1.0 removed', () => {
  const hostile = `a<b>&c"d'e]]>\u0000\u0001\u001b[31m\ud800\uffff\u{1f600}\nnext`;
  const results = [result(hostile, '1.1.1', 'FAILED', 'OK', { result: `got ${hostile}` }), result('plain', '1.1.1', 'OK')];
  const doc = renderJunit(results, { reportDir: 'r' });
  const root = parseXml(doc); // throws on anything not well-formed
  const expected = `a<b>&c"d'e]]>[31m\u{1f600}\nnext`;
  const testcase = elements(root, 'testcase').find((c) => c.attrs.classname!.includes('a<b'))!;
  assert.equal(testcase.attrs.classname, `wsfuzz.${expected}.1`);
  assert.match(elements(testcase, 'failure')[0]!.text, new RegExp(`^Result: FAILED: got ${expected.replace(/[[\]\\^$.|?*+()]/g, '\\$&')}$`, 'm'));
  assert.equal(elements(root, 'testsuite').length, 2);
  assert.equal(xmlText('x]]>y'), 'x]]&gt;y');
  assert.equal(xmlAttr('a\tb\r\nc"'), 'a&#9;b&#13;&#10;c&quot;');
});

test('the strict reader used above rejects what is not well-formed', () => {
  for (const bad of ['<a>&</a>', '<a>&foo;</a>', '<a><b></a></b>', '<a x="1" x="2"/>', '<a x=1/>', '<a>\u0001</a>', '<a/><b/>', '<a>', '<a x="<"/>']) {
    assert.throws(() => parseXml(bad), Error, bad);
  }
});
