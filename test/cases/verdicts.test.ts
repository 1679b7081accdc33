// Every verdict kind, produced by real cases over real sockets against peers with one known defect
// each (test/peers/). Field values follow the contract (docs/engine.md, docs/verdicts.md, docs/cases.md)
// and, where a seed report shows the situation, exactly what the original suite reported.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { runFuzzingClient } from '../../src/modes/fuzzingclient.js';
import type { CaseResult } from '../../src/fuzz/result.js';
import { closingFields, plainJson } from '../support/results.js';
import { acceptKey } from '../../src/protocol/handshake.js';
import type { RunningPeer } from '../peers/base.js';
import * as correctEcho from '../peers/correct-echo.js';
import * as wsEcho from '../peers/ws-echo.js';
import * as answers1003 from '../peers/answers-invalid-close-code-with-1003.js';
import * as dropsTcpOnClose from '../peers/drops-tcp-on-close.js';
import * as repliesEmptyClose from '../peers/replies-empty-close.js';
import * as doesNotEcho from '../peers/does-not-echo.js';
import * as echoesLate from '../peers/echoes-late.js';
import * as notFailFast from '../peers/not-fail-fast-utf8.js';
import * as acceptsInvalidUtf8 from '../peers/accepts-invalid-utf8.js';
import * as neverClosesTcp from '../peers/never-closes-tcp.js';
import * as ignoresClose from '../peers/ignores-close.js';
import * as wrongCloseCode from '../peers/wrong-close-code.js';
import * as closesOnReservedWith1000 from '../peers/closes-on-reserved-opcode-with-1000.js';
import * as ignoresReservedOpcode from '../peers/ignores-reserved-opcode.js';
import * as silentAfterAccept from '../peers/silent-after-accept.js';
import * as badAcceptKey from '../peers/bad-accept-key.js';
import * as unsolicitedExtension from '../peers/unsolicited-extension.js';

const MATCH = 'Actual events match at least one expected.';
const DIFFER = 'Actual events differ from any expected.';
const CLOSE_OK = 'Connection was properly closed';
const WRONG_ENDPOINT = 'The connection was failed by the wrong endpoint';
const UNCLEAN = 'The spec requires the connection to be failed cleanly here';
const BY_CLIENT = 'It is preferred that the server close the TCP connection';
const NEVER_OPEN = 'The WebSocket opening handshake was never completed!';

type Start = () => Promise<RunningPeer>;

/** Run `cases` (one connection each, one after the other) against a fresh peer; results by case ID. */
async function run(start: Start, cases: string[]): Promise<Map<string, CaseResult>> {
  const peer = await start();
  try {
    const { outcomes } = await runFuzzingClient({
      servers: [{ url: peer.url, agent: 'peer' }],
      cases,
      excludeCases: [],
      excludeAgentCases: {},
      options: {},
      userAgent: 'wsfuzz-test',
    });
    for (const o of outcomes) {
      assert.ok(!o.notes.some((n) => n.startsWith('wsfuzz internal error')), `${o.result.id}: ${o.notes.join('; ')}`);
    }
    assert.deepEqual(
      outcomes.map((o) => o.result.id),
      cases,
    );
    return new Map(outcomes.map((o) => [o.result.id, o.result]));
  } finally {
    await peer.close();
  }
}

async function one(start: Start, id: string): Promise<CaseResult> {
  return (await run(start, [id])).get(id)!;
}



/** Wire-log entry kinds other than raw octets (those depend on TCP segmentation). */
function frameLog(r: CaseResult): string[] {
  return r.wirelog.map((e) => e[0]).filter((k) => k !== 'RO' && k !== 'TO');
}

const clean = {
  isServer: false,
  failedByMe: false,
  droppedByMe: false,
  wasClean: true,
  wasNotCleanReason: null,
  wasServerConnectionDropTimeout: false,
  wasOpenHandshakeTimeout: false,
  wasCloseHandshakeTimeout: false,
};

describe('verdicts against peers with one defect each', { concurrency: true, timeout: 60_000 }, () => {
  // ------------------------------------------------------------------ seeds (servers under test)

  test('seed 001: 7.9.1 answered with 1003 "UT002026: ..." => FAILED / WRONG CODE', async () => {
    const r = await one(answers1003.start, '7.9.1');
    assert.deepEqual(closingFields(r), {
      ...clean,
      behavior: 'FAILED',
      behaviorClose: 'WRONG CODE',
      result: 'The close code should have been 1002 or empty',
      resultClose: 'The close code should have been 1002 or empty',
      closedByMe: true,
      localCloseCode: 0,
      localCloseReason: null,
      remoteCloseCode: 1003,
      remoteCloseReason: 'UT002026: Invalid close frame status code: 0',
    });
    assert.deepEqual(plainJson(r.expected), { OK: [] });
    assert.deepEqual(plainJson(r.received), []);
    assert.deepEqual(r.rxFrameStats, new Map([[8, 1]]));
    assert.deepEqual(r.txFrameStats, new Map([[8, 1]]));
    assert.deepEqual(frameLog(r), ['TF', 'KL', 'RF']);
    assert.equal(r.case, 236);
    // The request as in the seed (header order), with our User-Agent and a fresh key.
    assert.match(
      r.httpRequest,
      /^GET \/ HTTP\/1\.1\r\nUser-Agent: wsfuzz-test\r\nHost: 127\.0\.0\.1:\d+\r\nUpgrade: WebSocket\r\nConnection: Upgrade\r\nPragma: no-cache\r\nCache-Control: no-cache\r\nSec-WebSocket-Key: [A-Za-z0-9+\/]{22}==\r\nSec-WebSocket-Version: 13\r\n\r\n$/,
    );
  });

  test('seed 002: 7.9.8 answered with an empty Close => OK / OK', async () => {
    const r = await one(repliesEmptyClose.start, '7.9.8');
    assert.deepEqual(closingFields(r), {
      ...clean,
      behavior: 'OK',
      behaviorClose: 'OK',
      result: MATCH,
      resultClose: CLOSE_OK,
      closedByMe: true,
      localCloseCode: 2000,
      localCloseReason: null,
      remoteCloseCode: null,
      remoteCloseReason: null,
    });
    assert.deepEqual(r.rxFrameStats, new Map([[8, 1]]));
    assert.deepEqual(r.txFrameStats, new Map([[8, 1]]));
    assert.deepEqual(frameLog(r), ['TF', 'KL', 'RF']);
    assert.equal(r.case, 243);
  });

  test('seed 004: 7.3.4 answered by dropping TCP => OK / UNCLEAN', async () => {
    const r = await one(dropsTcpOnClose.start, '7.3.4');
    assert.deepEqual(closingFields(r), {
      ...clean,
      behavior: 'OK',
      behaviorClose: 'UNCLEAN',
      result: MATCH,
      resultClose: UNCLEAN,
      closedByMe: true,
      wasClean: false,
      wasNotCleanReason: 'peer dropped the TCP connection without previous WebSocket closing handshake',
      localCloseCode: 1000,
      localCloseReason: 'Hello World!',
      remoteCloseCode: null,
      remoteCloseReason: null,
    });
    assert.deepEqual(r.rxFrameStats, new Map());
    assert.deepEqual(r.txFrameStats, new Map([[8, 1]]));
    assert.deepEqual(frameLog(r), ['TF', 'KL']);
    assert.equal(r.case, 219);
  });

  // ------------------------------------------------------------------ OK

  test('OK: the correct base peer passes every case the defects below are measured on', async () => {
    const cases = ['1.1.1', '2.1', '4.1.1', '6.3.1', '6.4.1', '6.5.1', '6.6.1', '7.1.1', '7.3.2', '7.3.4', '7.7.1', '7.9.1', '7.9.8'];
    const results = await run(correctEcho.start, cases);
    for (const id of cases) {
      const r = results.get(id)!;
      assert.deepEqual([id, r.behavior, r.behaviorClose, r.result, r.resultClose], [id, 'OK', 'OK', MATCH, CLOSE_OK]);
      assert.equal(r.droppedByMe, false, id);
      assert.equal(r.wasClean, true, id);
    }
    // Who closed first, and with which code, is what the defects change.
    assert.deepEqual(plainJson(results.get('1.1.1')!.received), [['message', '', false]]);
    assert.equal(results.get('6.4.1')!.closedByMe, false);
    assert.equal(results.get('6.4.1')!.remoteCloseCode, 1007);
    assert.deepEqual(plainJson(results.get('6.4.1')!.received), [['timeout', 'A']]);
    assert.equal(results.get('4.1.1')!.remoteCloseCode, 1002);
    assert.equal(results.get('7.9.1')!.remoteCloseCode, 1002);
  });

  test('OK: the ws 8.23.0 echo server passes 1.1.1, 7.3.4 and 7.9.1 (as in the golden run)', async () => {
    const results = await run(wsEcho.start, ['1.1.1', '7.3.4', '7.9.1']);
    for (const [id, r] of results) assert.deepEqual([id, r.behavior, r.behaviorClose], [id, 'OK', 'OK']);
    assert.equal(results.get('7.9.1')!.remoteCloseCode, 1002);
  });

  // ------------------------------------------------------------------ NON-STRICT

  test('NON-STRICT: 6.4.1-6.4.4 against a peer that checks UTF-8 only at message end', async () => {
    const ids = ['6.4.1', '6.4.2', '6.4.3', '6.4.4'];
    const results = await Promise.all(ids.map((id) => one(notFailFast.start, id)));
    for (const r of results) {
      assert.deepEqual(closingFields(r), {
        ...clean,
        behavior: 'NON-STRICT',
        behaviorClose: 'OK',
        result: MATCH,
        resultClose: CLOSE_OK,
        closedByMe: false,
        localCloseCode: 1000,
        localCloseReason: null,
        remoteCloseCode: 1007,
        remoteCloseReason: null,
      }, r.id);
      assert.deepEqual(plainJson(r.received), [['timeout', 'A'], ['timeout', 'B']], r.id);
    }
  });

  test('NON-STRICT: ws 8.23.0 on 6.4.1 (golden: NON-STRICT / OK, remote 1007)', async () => {
    const r = await one(wsEcho.start, '6.4.1');
    assert.deepEqual([r.behavior, r.behaviorClose, r.remoteCloseCode], ['NON-STRICT', 'OK', 1007]);
  });

  // ------------------------------------------------------------------ FAILED

  test('FAILED: 1.1.1 against a peer that does not echo (kill timer fires, 1001 Going Away)', async () => {
    const r = await one(doesNotEcho.start, '1.1.1');
    assert.equal(r.behavior, 'FAILED');
    assert.equal(r.result, DIFFER);
    assert.deepEqual(plainJson(r.received), []);
    assert.deepEqual(
      [r.closedByMe, r.failedByMe, r.localCloseCode, r.localCloseReason],
      [true, true, 1001, 'Going Away'],
    );
    assert.ok(frameLog(r).includes('KLE'));
    // The peer echoes the code of the fuzzer's Close, as RFC 6455 §5.5.1 suggests; 1001 is not in [1000].
    assert.deepEqual(
      [r.behaviorClose, r.resultClose, r.remoteCloseCode, r.wasClean],
      ['WRONG CODE', 'The close code should have been 1000 or empty', 1001, true],
    );
    assert.ok(r.duration >= 990 && r.duration < 1900, `duration ${r.duration}`);
  });

  test('FAILED: 6.5.1 and 1.1.1 against a peer that echoes after the kill timer', async () => {
    const results = await run(echoesLate.start, ['1.1.1', '6.5.1']);
    for (const [id, kill] of [['1.1.1', 1000], ['6.5.1', 500]] as const) {
      const r = results.get(id)!;
      assert.deepEqual([id, r.behavior, r.result], [id, 'FAILED', DIFFER]);
      assert.deepEqual(plainJson(r.received), [], id);
      assert.deepEqual([r.failedByMe, r.closedByMe, r.localCloseCode], [true, true, 1001], id);
      assert.ok(r.duration >= kill - 10 && r.duration < echoesLate.ECHO_DELAY_MS, `${id} duration ${r.duration}`);
    }
  });

  test('FAILED: invalid UTF-8 echoed back => the fuzzer fails it (wrong endpoint is fatal)', async () => {
    const results = await run(acceptsInvalidUtf8.start, ['6.3.1', '6.6.1']);
    const reasons: Record<string, string> = {
      '6.3.1': 'encountered invalid UTF-8 while processing text message at payload octet index 12',
      '6.6.1': 'UTF-8 text message payload ended within Unicode code point at payload octet index 1',
    };
    for (const [id, r] of results) {
      assert.equal(r.behavior, 'FAILED', id);
      // Reference quirk (Appendix C.20): behavior is forced to FAILED, the result text stays.
      assert.equal(r.result, MATCH, id);
      assert.deepEqual([r.behaviorClose, r.resultClose], ['FAILED', WRONG_ENDPOINT], id);
      assert.deepEqual(plainJson(r.received), [], id);
      assert.deepEqual(
        [r.closedByMe, r.failedByMe, r.localCloseCode, r.localCloseReason],
        [true, true, 1007, reasons[id]],
        id,
      );
      assert.deepEqual(plainJson(r.expectedClose), { closedByMe: false, closeCode: [1007], requireClean: false, closedByWrongEndpointIsFatal: true });
    }
  });

  // ------------------------------------------------------------------ WRONG CODE

  test('WRONG CODE: answering an invalid close code / 1-octet Close with 1000 (7.x: behavior FAILED too)', async () => {
    const results = await run(wrongCloseCode.start, ['7.3.2', '7.9.1']);
    for (const [id, r] of results) {
      const text = 'The close code should have been 1002 or empty';
      assert.deepEqual(
        [id, r.behavior, r.result, r.behaviorClose, r.resultClose, r.remoteCloseCode, r.closedByMe, r.wasClean],
        [id, 'FAILED', text, 'WRONG CODE', text, 1000, true, true],
      );
    }
  });

  test('WRONG CODE: failing a reserved opcode with 1000 (4.1.1: no post-processing, behavior stays OK)', async () => {
    const r = await one(closesOnReservedWith1000.start, '4.1.1');
    assert.deepEqual(
      [r.behavior, r.result, r.behaviorClose, r.resultClose],
      ['OK', MATCH, 'WRONG CODE', 'The close code should have been 1002 or empty'],
    );
    assert.deepEqual([r.closedByMe, r.failedByMe, r.remoteCloseCode, r.localCloseCode], [false, false, 1000, 1000]);
  });

  // ------------------------------------------------------------------ close verdict FAILED (wrong endpoint)

  test('FAILED close: a peer that ignores a reserved opcode leaves the closing to the kill timer', async () => {
    const r = await one(ignoresReservedOpcode.start, '4.1.1');
    assert.deepEqual([r.behavior, r.behaviorClose, r.resultClose], ['OK', 'FAILED', WRONG_ENDPOINT]);
    assert.deepEqual([r.closedByMe, r.failedByMe, r.localCloseCode, r.localCloseReason], [true, true, 1001, 'Going Away']);
  });

  // ------------------------------------------------------------------ UNCLEAN

  test('UNCLEAN: a peer that never answers a Close (close handshake timeout)', async () => {
    const r = await one(ignoresClose.start, '7.7.1');
    assert.deepEqual(closingFields(r), {
      ...clean,
      behavior: 'OK',
      behaviorClose: 'UNCLEAN',
      result: MATCH,
      resultClose: UNCLEAN,
      closedByMe: true,
      droppedByMe: true,
      wasClean: false,
      wasNotCleanReason: 'peer did not respond (in time) in closing handshake',
      wasCloseHandshakeTimeout: true,
      localCloseCode: 1000,
      localCloseReason: null,
      remoteCloseCode: null,
      remoteCloseReason: null,
    });
    assert.ok(r.duration >= 990 && r.duration < 1900, `duration ${r.duration}`);
  });

  test('UNCLEAN: a peer that answers the Close but keeps TCP open (server drop timeout, 2.1)', async () => {
    const r = await one(neverClosesTcp.start, '2.1');
    assert.deepEqual(closingFields(r), {
      ...clean,
      behavior: 'OK',
      behaviorClose: 'UNCLEAN',
      result: MATCH,
      resultClose: UNCLEAN,
      closedByMe: true,
      droppedByMe: true,
      wasClean: false,
      wasNotCleanReason: 'server did not drop TCP connection (in time)',
      wasServerConnectionDropTimeout: true,
      localCloseCode: 1000,
      localCloseReason: null,
      remoteCloseCode: 1000,
      remoteCloseReason: null,
    });
  });

  // ------------------------------------------------------------------ FAILED BY CLIENT

  test('FAILED BY CLIENT: the peer keeps TCP open after the closing handshake, the kill timer drops it', async () => {
    const results = await run(neverClosesTcp.start, ['6.3.1', '7.9.1']);
    const byFuzzer = results.get('7.9.1')!;
    assert.deepEqual(closingFields(byFuzzer), {
      ...clean,
      behavior: 'OK',
      behaviorClose: 'FAILED BY CLIENT',
      result: MATCH,
      resultClose: BY_CLIENT,
      closedByMe: true,
      failedByMe: true,
      droppedByMe: true,
      localCloseCode: 0,
      localCloseReason: null,
      remoteCloseCode: 1002,
      remoteCloseReason: null,
    });
    // Peer-initiated close (the peer fails the invalid UTF-8 with 1007): no engine timer, only the kill.
    const byPeer = results.get('6.3.1')!;
    assert.deepEqual(closingFields(byPeer), {
      ...clean,
      behavior: 'OK',
      behaviorClose: 'FAILED BY CLIENT',
      result: MATCH,
      resultClose: BY_CLIENT,
      closedByMe: false,
      failedByMe: true,
      droppedByMe: true,
      localCloseCode: 1000,
      localCloseReason: null,
      remoteCloseCode: 1007,
      remoteCloseReason: null,
    });
  });

  // ------------------------------------------------------------------ INFORMATIONAL

  test('INFORMATIONAL: 7.13.1, 7.13.2 and 7.1.6 against ws 8.23.0 (as in the golden run)', async () => {
    const results = await run(wsEcho.start, ['7.1.6', '7.13.1', '7.13.2']);
    for (const [id, code] of [['7.13.1', 5000], ['7.13.2', 65535]] as const) {
      const r = results.get(id)!;
      assert.deepEqual(
        [id, r.behavior, r.behaviorClose, r.result, r.resultClose, r.localCloseCode, r.remoteCloseCode, r.wasClean],
        [id, 'INFORMATIONAL', 'INFORMATIONAL', 'Actual events are undefined by the spec.', CLOSE_OK, code, 1002, true],
      );
    }
    const r = results.get('7.1.6')!;
    assert.deepEqual([r.behavior, r.behaviorClose, r.result, r.remoteCloseCode], ['INFORMATIONAL', 'INFORMATIONAL', DIFFER, 1000]);
    assert.deepEqual(plainJson(r.received), [
      ['message', 'BAsd7&jh23BAsd7&jh23BAsd7&jh23BAsd7&jh23BAsd7&jh23BAsd7&jh23BAsd ...', false],
      ['message', 'Hello World!', false],
    ]);
  });

  test('INFORMATIONAL: 7.1.6 with NON-STRICT matched (nothing echoed) names the close-first outcome', async () => {
    const r = await one(doesNotEcho.start, '7.1.6');
    assert.deepEqual(
      [r.behavior, r.behaviorClose, r.result],
      ['INFORMATIONAL', 'INFORMATIONAL', 'Close was processed before text message could be returned.'],
    );
  });

  // ------------------------------------------------------------------ opening handshake never completed

  test('never open: a silent peer => open-handshake timeout after 5 s', async () => {
    const results = await Promise.all(['1.1.1', '7.9.1'].map((id) => one(silentAfterAccept.start, id)));
    for (const r of results) {
      const id = r.id;
      assert.deepEqual(closingFields(r), {
        ...clean,
        behavior: id === '1.1.1' ? 'FAILED' : 'OK',
        behaviorClose: 'FAILED',
        // Quirk (docs/verdicts.md, Main verdict): behavior is still computed, so an empty OK list matches.
        result: id === '1.1.1' ? DIFFER : MATCH,
        resultClose: NEVER_OPEN,
        closedByMe: false,
        droppedByMe: true,
        wasClean: false,
        wasNotCleanReason: 'peer did not finish (in time) the opening handshake',
        wasOpenHandshakeTimeout: true,
        localCloseCode: null,
        localCloseReason: null,
        remoteCloseCode: null,
        remoteCloseReason: null,
      }, id);
      assert.equal(r.httpResponse, '?');
      // Real elapsed time, not the Unix time of the original (contract decision 3).
      assert.ok(r.duration >= 4900 && r.duration < 6500, `${id} duration ${r.duration}`);
    }
  });

  test('never open: a wrong Sec-WebSocket-Accept fails the handshake at once', async () => {
    const r = await one(badAcceptKey.start, '1.1.1');
    const key = /Sec-WebSocket-Key: (\S+)/.exec(r.httpRequest)![1]!;
    assert.deepEqual(closingFields(r), {
      ...clean,
      behavior: 'FAILED',
      behaviorClose: 'FAILED',
      result: DIFFER,
      resultClose: NEVER_OPEN,
      closedByMe: false,
      droppedByMe: true,
      wasClean: false,
      wasNotCleanReason: `HTTP Sec-WebSocket-Accept bogus value : expected ${acceptKey(key)} / got ${acceptKey(badAcceptKey.WRONG_ACCEPT_FOR)}`,
      localCloseCode: null,
      localCloseReason: null,
      remoteCloseCode: null,
      remoteCloseReason: null,
    });
    assert.match(r.httpResponse, /^HTTP\/1\.1 101 /);
    assert.ok(r.duration < 1000, `duration ${r.duration}`);
  });

  test('never open: permessage-deflate accepted without an offer fails the handshake', async () => {
    const r = await one(unsolicitedExtension.start, '1.1.1');
    assert.deepEqual(
      [r.behavior, r.behaviorClose, r.resultClose, r.droppedByMe, r.wasOpenHandshakeTimeout, r.wasNotCleanReason],
      [
        'FAILED',
        'FAILED',
        NEVER_OPEN,
        true,
        false,
        "server wants to use extension 'permessage-deflate' we did not request, haven't implemented or did not enable",
      ],
    );
    assert.doesNotMatch(r.httpRequest, /Sec-WebSocket-Extensions/i);
  });
});
