// Category 14, server role (docs/cases.md, Category 14): fuzzingclient sends crafted opening
// handshakes to real servers over real sockets and the verdicts are asserted case by case: `ws`
// 8.23.0, wsfuzz's reference echo server, and a server that answers 101 to any request.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runFuzzingClient } from '../../src/modes/fuzzingclient.js';
import { startEchoServer } from '../../src/modes/echoserver.js';
import { modeIds } from '../../src/cases/index.js';
import { selectCases } from '../../src/cases/selection.js';
import type { CaseResult } from '../../src/fuzz/result.js';
import { startPeerProcess } from '../support/processes.js';
import * as acceptsAny from '../peers/accepts-any-handshake.js';
import * as silentAfterAccept from '../peers/silent-after-accept.js';
import { startPeer } from '../peers/base.js';

const SERVER_IDS = selectCases(['14.*'], [], modeIds('fuzzingclient'));

async function run(url: string, cases = ['14.*'], options: Record<string, unknown> = {}): Promise<Map<string, CaseResult>> {
  const result = await runFuzzingClient({
    servers: [{ url, agent: 'server' }],
    cases,
    excludeCases: [],
    excludeAgentCases: {},
    options,
    userAgent: 'wsfuzz-test',
  });
  for (const o of result.outcomes) assert.ok(!o.notes.some((n) => n.startsWith('wsfuzz internal error')), `${o.result.id}: ${o.notes.join('; ')}`);
  return new Map(result.outcomes.map((o) => [o.result.id, o.result]));
}

/** "behavior/behaviorClose" of every case; `expected` lists the cases that are not OK/OK. */
function assertVerdicts(results: Map<string, CaseResult>, expected: Record<string, string>): void {
  assert.deepEqual([...results.keys()], SERVER_IDS);
  const actual = Object.fromEntries([...results].map(([id, r]) => [id, `${r.behavior}/${r.behaviorClose}`]));
  const want = Object.fromEntries(SERVER_IDS.map((id) => [id, expected[id] ?? 'OK/OK']));
  assert.deepEqual(actual, want);
}

test('category 14 has 33 server-role cases, outside the default selection', () => {
  assert.equal(SERVER_IDS.length, 33);
  assert.equal(selectCases(['*'], [], modeIds('fuzzingclient')).length, 517);
  assert.equal(selectCases(['1*'], [], modeIds('fuzzingclient')).filter((id) => id.startsWith('14.')).length, 0);
  assert.equal(selectCases(['14*'], [], modeIds('fuzzingclient')).length, 33);
  assert.deepEqual(selectCases(['14.7.4'], [], modeIds('fuzzingclient')), ['14.7.4']);
  // Client-role cases are not fuzzingclient's.
  assert.ok(!modeIds('fuzzingclient').includes('14.8.1'));
});

test('ws 8.23.0 as server: accepts HTTP/1.0 and a request without Host, accepts version 8', { timeout: 120_000 }, async () => {
  const peer = await startPeerProcess('peers/ws-echo-server.js');
  try {
    const results = await run(peer.url);
    assertVerdicts(results, {
      '14.2.1': 'INFORMATIONAL/OK',
      '14.4.2': 'FAILED/OK',
      '14.4.3': 'FAILED/OK',
    });
    assert.match(results.get('14.2.2')!.result, /400 Bad Request, with Sec-WebSocket-Version: 13, 8\.$/);
    assert.match(results.get('14.7.4')!.httpResponse, /^HTTP\/1\.1 431 /);
    assert.equal(results.get('14.4.2')!.result, 'The server accepted (101) a handshake it must refuse.');
  } finally {
    await peer.stop();
  }
});

test("wsfuzz's reference echo server passes every server-role case", { timeout: 120_000 }, async () => {
  const server = await startEchoServer({ host: '127.0.0.1', port: 0 });
  try {
    const results = await run(server.url);
    assertVerdicts(results, {});
    // Refusals are HTTP responses with the status the case asks for.
    assert.match(results.get('14.2.4')!.result, /with Sec-WebSocket-Version: 13\.$/);
    assert.match(results.get('14.4.1')!.httpResponse, /^HTTP\/1\.1 405 /);
    assert.match(results.get('14.7.4')!.httpResponse, /^HTTP\/1\.1 431 /);
    assert.equal(results.get('14.1.1')!.result, 'The server did not accept the handshake: HTTP/1.1 200 OK.');
  } finally {
    await server.close();
  }
});

test('a server that accepts any request fails every case that must be refused', { timeout: 120_000 }, async () => {
  const peer = await acceptsAny.start();
  try {
    const results = await run(peer.url);
    const accepted = 'FAILED/OK';
    // Without a valid key its Sec-WebSocket-Accept cannot match the one the fuzzer expects.
    const badAccept = 'FAILED/FAILED';
    assertVerdicts(results, {
      '14.1.1': accepted,
      '14.1.2': accepted,
      '14.1.3': accepted,
      '14.1.4': accepted,
      '14.2.1': 'INFORMATIONAL/OK',
      '14.2.2': accepted,
      '14.2.3': accepted,
      '14.2.4': accepted,
      '14.2.5': accepted,
      '14.2.6': accepted,
      '14.3.1': badAccept,
      '14.3.2': badAccept,
      '14.3.3': badAccept,
      '14.3.4': accepted,
      '14.4.1': accepted,
      '14.4.2': accepted,
      '14.4.3': accepted,
    });
    assert.match(results.get('14.3.1')!.result, /^The server answered 101, but the response is not valid for this request: HTTP Sec-WebSocket-Accept bogus value/);
  } finally {
    await peer.close();
  }
});

test('a server that closes without an HTTP response, or never answers, fails a case it must refuse', { timeout: 120_000 }, async () => {
  const closes = await startPeer({ onAccept: (socket) => socket.once('data', () => socket.end()) });
  const silent = await silentAfterAccept.start();
  try {
    const closed = (await run(closes.url, ['14.1.2', '14.1.5'])).get('14.1.2')!;
    assert.equal(`${closed.behavior}/${closed.behaviorClose}`, 'FAILED/UNCLEAN');
    assert.equal(closed.result, 'The server closed the connection without an HTTP response; a refusal must be an HTTP error response.');
    const hung = (await run(silent.url, ['14.1.2'], { openHandshakeTimeout: 1 })).get('14.1.2')!;
    assert.equal(`${hung.behavior}/${hung.behaviorClose}`, 'FAILED/FAILED');
    assert.equal(hung.result, 'The server did not answer the handshake within the opening-handshake timeout.');
  } finally {
    await closes.close();
    await silent.close();
  }
});
