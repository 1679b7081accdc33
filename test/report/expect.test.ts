// --expect / --update-expect: reading both file formats, the comparison rules and the written format.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  compareWithExpectations,
  ExpectError,
  expectFileText,
  parseExpectations,
  updateExpectations,
  type AgentRun,
  type ExpectedVerdict,
} from '../../src/report/expect.js';
import type { CaseResult } from '../../src/fuzz/result.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
/** A real index.json of the original suite (the `ws` server run). */
const GOLDEN_INDEX = path.join(ROOT, 'test', 'fixtures', 'golden', 'ws-server-index.json');

const OK: ExpectedVerdict = { behavior: 'OK', behaviorClose: 'OK', remoteCloseCode: 1000 };

function run(agent: string, got: Record<string, ExpectedVerdict>, ids = Object.keys(got)): AgentRun {
  return { agent, ids, got: new Map(Object.entries(got)) };
}

test("an Autobahn index.json is read as it is (the original's, 517 cases)", () => {
  const expectations = parseExpectations(JSON.parse(readFileSync(GOLDEN_INDEX, 'utf8')), 'golden.json');
  assert.deepEqual([...expectations.keys()], ['ws']);
  const ws = expectations.get('ws')!;
  assert.equal(ws.size, 517);
  assert.deepEqual(ws.get('6.4.1'), { behavior: 'NON-STRICT', behaviorClose: 'OK', remoteCloseCode: 1007 });
  assert.deepEqual(ws.get('9.3.1'), { behavior: 'FAILED', behaviorClose: 'FAILED', remoteCloseCode: 1008 });
});

test('malformed files are one-line ExpectErrors naming the file and the place', () => {
  const cases: Array<[unknown, RegExp]> = [
    [[], /e\.json must map agent names/],
    [{ a: 3 }, /agent "a" is not an object/],
    [{ a: { '1.1.1': { behavior: 'OK' } } }, /"a" case "1\.1\.1" needs string "behavior" and "behaviorClose"/],
    [{ a: { '1.1.1': { behavior: 'OK', behaviorClose: 'OK' } } }, /"remoteCloseCode" must be an integer or null/],
    [{ a: { '1.1.1': { behavior: 'OK', behaviorClose: 'OK', remoteCloseCode: '1000' } } }, /"remoteCloseCode"/],
    [{ a: { '1.1.1': { behavior: 'PASS', behaviorClose: 'OK', remoteCloseCode: 1000 } } }, /"behavior" "PASS" is not a verdict/],
    [{ a: { '1.1.1': { behavior: 'OK', behaviorClose: 'CLEAN', remoteCloseCode: 1000 } } }, /"behaviorClose" "CLEAN" is not a close verdict/],
  ];
  for (const [json, message] of cases) {
    assert.throws(() => parseExpectations(json, 'e.json'), (err: Error) => err instanceof ExpectError && message.test(err.message) && !err.message.includes('\n'));
  }
});

test('the written file: agents sorted, cases in ID order, one line each, and it reads back the same', () => {
  const results = [
    { agent: 'b', id: '1.1.10', behavior: 'OK', behaviorClose: 'OK', remoteCloseCode: 1000 },
    { agent: 'b', id: '1.1.2', behavior: 'NON-STRICT', behaviorClose: 'OK', remoteCloseCode: 1007 },
    { agent: 'a "q"', id: '2.1', behavior: 'FAILED', behaviorClose: 'UNCLEAN', remoteCloseCode: null },
  ] as CaseResult[];
  const text = expectFileText(updateExpectations(new Map(), results));
  assert.equal(
    text,
    [
      '{',
      '  "a \\"q\\"": {',
      '    "2.1": {"behavior": "FAILED", "behaviorClose": "UNCLEAN", "remoteCloseCode": null}',
      '  },',
      '  "b": {',
      '    "1.1.2": {"behavior": "NON-STRICT", "behaviorClose": "OK", "remoteCloseCode": 1007},',
      '    "1.1.10": {"behavior": "OK", "behaviorClose": "OK", "remoteCloseCode": 1000}',
      '  }',
      '}',
      '',
    ].join('\n'),
  );
  const again = parseExpectations(JSON.parse(text), 'x');
  assert.equal(expectFileText(again), text, 'stable: reading and writing again changes nothing');
  assert.equal(expectFileText(new Map()), '{}\n');
});

test('updating keeps the cases and agents the run did not touch', () => {
  const existing = parseExpectations({ a: { '1.1.1': OK, '1.1.2': OK }, other: { '1.1.1': OK } }, 'x');
  const updated = updateExpectations(existing, [{ agent: 'a', id: '1.1.2', behavior: 'FAILED', behaviorClose: 'OK', remoteCloseCode: 1002 } as CaseResult]);
  assert.deepEqual(updated.get('a')!.get('1.1.1'), OK);
  assert.equal(updated.get('a')!.get('1.1.2')!.behavior, 'FAILED');
  assert.deepEqual(updated.get('other')!.get('1.1.1'), OK);
  assert.equal(existing.get('a')!.get('1.1.2')!.behavior, 'OK', 'the existing map is not modified');
});

test('differences: regression, improvement, changed, missing from FILE, not run; unselected FILE cases ignored', () => {
  const expectations = parseExpectations(
    {
      ws: {
        '1.1.1': OK,
        '1.1.2': OK,
        '1.1.3': { behavior: 'FAILED', behaviorClose: 'OK', remoteCloseCode: 1000 },
        '1.1.4': { behavior: 'NON-STRICT', behaviorClose: 'OK', remoteCloseCode: 1007 },
        '1.1.5': OK,
        '1.1.6': OK,
        '1.1.8': { behavior: 'INFORMATIONAL', behaviorClose: 'OK', remoteCloseCode: 1000 },
        '9.9.9': { behavior: 'FAILED', behaviorClose: 'FAILED', remoteCloseCode: null },
      },
    },
    'e.json',
  );
  const got: Record<string, ExpectedVerdict> = {
    '1.1.1': OK,
    '1.1.2': { behavior: 'OK', behaviorClose: 'UNCLEAN', remoteCloseCode: null },
    '1.1.3': OK,
    '1.1.4': { behavior: 'NON-STRICT', behaviorClose: 'OK', remoteCloseCode: 1000 },
    '1.1.5': { behavior: 'NON-STRICT', behaviorClose: 'OK', remoteCloseCode: 1000 },
    '1.1.7': OK,
    '1.1.8': { behavior: 'UNIMPLEMENTED', behaviorClose: 'OK', remoteCloseCode: 1000 },
  };
  const ids = ['1.1.1', '1.1.2', '1.1.3', '1.1.4', '1.1.5', '1.1.6', '1.1.7', '1.1.8'];
  const c = compareWithExpectations(expectations, [run('ws', got, ids)], { acceptNonStrict: false }, 'e.json');
  assert.equal(c.compared, 8);
  assert.deepEqual(
    c.differences.map((d) => `${d.id} ${d.kind}`),
    ['1.1.2 regression', '1.1.3 improvement', '1.1.4 changed', '1.1.5 regression', '1.1.6 not run', '1.1.7 missing', '1.1.8 changed'],
  );
  assert.equal(c.differences.find((d) => d.id === '1.1.7')!.expected, null);
  assert.equal(c.differences.find((d) => d.id === '1.1.6')!.got, null);
});

test('--accept-non-strict: OK and NON-STRICT are the same main verdict, nothing else is relaxed', () => {
  const expectations = parseExpectations(
    { ws: { '6.4.1': { behavior: 'NON-STRICT', behaviorClose: 'OK', remoteCloseCode: 1007 }, '6.4.2': { ...OK, remoteCloseCode: 1007 }, '6.4.3': OK } },
    'e.json',
  );
  const got: Record<string, ExpectedVerdict> = {
    '6.4.1': { behavior: 'OK', behaviorClose: 'OK', remoteCloseCode: 1007 },
    '6.4.2': { behavior: 'NON-STRICT', behaviorClose: 'OK', remoteCloseCode: 1007 },
    '6.4.3': { behavior: 'NON-STRICT', behaviorClose: 'OK', remoteCloseCode: 1007 },
  };
  const strict = compareWithExpectations(expectations, [run('ws', got)], { acceptNonStrict: false }, 'e.json');
  assert.deepEqual(strict.differences.map((d) => `${d.id} ${d.kind}`), ['6.4.1 improvement', '6.4.2 regression', '6.4.3 regression']);
  const lenient = compareWithExpectations(expectations, [run('ws', got)], { acceptNonStrict: true }, 'e.json');
  assert.deepEqual(lenient.differences.map((d) => d.id), ['6.4.3'], 'the close code still counts');
});

test('agents: same name; else the only agent of FILE for a run with one agent; else an error', () => {
  const one = parseExpectations({ ws: { '1.1.1': OK } }, 'e.json');
  const c = compareWithExpectations(one, [run('ws/8.18', { '1.1.1': OK })], { acceptNonStrict: false }, 'e.json');
  assert.deepEqual([...c.substitutedAgents], [['ws/8.18', 'ws']]);
  assert.equal(c.differences.length, 0);
  assert.throws(
    () => compareWithExpectations(one, [run('a', { '1.1.1': OK }), run('b', { '1.1.1': OK })], { acceptNonStrict: false }, 'e.json'),
    /e\.json has no results for agent "a" \(it has agents "ws"\)/,
  );
  const two = parseExpectations({ a: { '1.1.1': OK }, b: { '1.1.1': { ...OK, behavior: 'FAILED' } } }, 'e.json');
  const both = compareWithExpectations(two, [run('a', { '1.1.1': OK }), run('b', { '1.1.1': OK })], { acceptNonStrict: false }, 'e.json');
  assert.deepEqual(both.differences.map((d) => `${d.agent} ${d.kind}`), ['b improvement']);
  assert.throws(() => compareWithExpectations(two, [run('c', { '1.1.1': OK })], { acceptNonStrict: false }, 'e.json'), ExpectError);
});
