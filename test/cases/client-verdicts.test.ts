// Verdicts of fuzzingserver against WebSocket *clients* with one known defect each
// (test/peers/clients/), over real sockets. Fuzzer as server (docs/engine.md, Failing and closing: on the reply to its own Close
// it aborts TCP, on a client-initiated Close it replies 1000 and closes TCP, so droppedByMe is true
// after every closing handshake); docs/verdicts.md for the verdicts, docs/engine.md, Timers;
// case definitions in docs/cases.md. The two correct clients recreate the client seeds (000, 003).
// Every client runs against its own fuzzingserver (selection ["*"], so case N is the global
// position, as in the seeds), all at the same time.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { CaseResult } from '../../src/fuzz/result.js';
import { closingFields, plainJson } from '../support/results.js';
import { globalPosition } from '../../src/cases/index.js';
import { fullResults, withConfiguredFuzzingServer } from '../support/client-run.js';
import * as doesNotEcho from '../peers/clients/does-not-echo.js';
import * as ignoresClose from '../peers/clients/ignores-close.js';
import * as acceptsInvalidUtf8 from '../peers/clients/accepts-invalid-utf8.js';
import * as dropsTcpWithoutClose from '../peers/clients/drops-tcp-without-close.js';
import * as failsOnRsv from '../peers/clients/fails-on-rsv-with-1002.js';
import * as answersBadReason from '../peers/clients/answers-bad-close-reason-with-1007.js';

const MATCH = 'Actual events match at least one expected.';
const DIFFER = 'Actual events differ from any expected.';
const CLOSE_OK = 'Connection was properly closed';
const WRONG_ENDPOINT = 'The connection was failed by the wrong endpoint';
const UNCLEAN = 'The spec requires the connection to be failed cleanly here';
const PEER_DROPPED = 'peer dropped the TCP connection without previous WebSocket closing handshake';

type Client = { run(baseUrl: string, cases: number[] | 'all', agent: string): Promise<void> };

/** Run `ids` with `client` (agent `agent`) against a fresh fuzzingserver; results by case ID. */
async function run(client: Client, ids: string[], agent = 'client'): Promise<Map<string, CaseResult>> {
  return withConfiguredFuzzingServer({ cases: ['*'] }, async (server, outdir) => {
    await client.run(server.url, ids.map(globalPosition), agent);
    const outcomes = fullResults(server, outdir).filter((o) => o.result.agent === agent);
    for (const o of outcomes) {
      assert.ok(!o.notes.some((n) => n.startsWith('wsfuzz internal error')), `${o.result.id}: ${o.notes.join('; ')}`);
    }
    assert.deepEqual(outcomes.map((o) => o.result.id).sort(), [...ids].sort());
    return new Map(outcomes.map((o) => [o.result.id, o.result]));
  });
}

async function one(client: Client, id: string, agent?: string): Promise<CaseResult> {
  return (await run(client, [id], agent)).get(id)!;
}



/** Wire-log entry kinds, raw octets included (the clients write each reaction in one write). */
function kinds(r: CaseResult): string[] {
  return r.wirelog.map((e) => e[0]);
}

/** A histogram without the handshake's entry (its size depends on product token, port and agent). */
function withoutHandshake(h: Map<number, number>, handshake: string): Map<number, number> {
  const size = Buffer.byteLength(handshake, 'latin1');
  assert.equal(h.get(size), 1, `one handshake chunk of ${size} octets in ${JSON.stringify([...h])}`);
  const out = new Map(h);
  out.delete(size);
  return out;
}

const serverDefaults = {
  isServer: true,
  failedByMe: false,
  wasServerConnectionDropTimeout: false,
  wasOpenHandshakeTimeout: false,
  wasCloseHandshakeTimeout: false,
};

describe('fuzzingserver verdicts against clients with one defect each', { concurrency: true, timeout: 30_000 }, () => {
  // ------------------------------------------------------------------ seeds (clients under test)

  test('seed 003: 3.2 against a client that echoes and fails RSV=2 with 1002 => OK / OK', async () => {
    const r = await one(failsOnRsv, '3.2', 'wspp');
    assert.deepEqual(closingFields(r), {
      ...serverDefaults,
      behavior: 'OK',
      behaviorClose: 'OK',
      result: MATCH,
      resultClose: CLOSE_OK,
      closedByMe: false,
      droppedByMe: true,
      wasClean: true,
      wasNotCleanReason: null,
      localCloseCode: 1000,
      localCloseReason: null,
      remoteCloseCode: 1002,
      remoteCloseReason: null,
    });
    assert.equal(r.case, 29);
    assert.equal(r.agent, 'wspp');
    assert.deepEqual(plainJson(r.expected), { OK: [['message', 'Hello, world!', false]], 'NON-STRICT': [] });
    assert.deepEqual(plainJson(r.received), [['message', 'Hello, world!', false]]);
    assert.deepEqual(plainJson(r.expectedClose), { closedByMe: false, closeCode: [1002], requireClean: false });
    // Statistics as in the seed, apart from the handshake chunks.
    assert.deepEqual(withoutHandshake(r.rxOctetStats, r.httpRequest), new Map([[27, 1]]));
    assert.deepEqual(withoutHandshake(r.txOctetStats, r.httpResponse), new Map([[2, 1], [4, 1], [15, 2]]));
    assert.deepEqual(r.rxFrameStats, new Map([[1, 1], [8, 1]]));
    assert.deepEqual(r.txFrameStats, new Map([[1, 2], [8, 1], [9, 1]]));
    assert.deepEqual(kinds(r), ['RO', 'TO', 'TF', 'TO', 'TF', 'TO', 'TF', 'TO', 'KL', 'RO', 'RF', 'RF', 'TF', 'TO']);
    assert.match(r.httpRequest, /^GET \/runCase\?case=29&agent=wspp HTTP\/1\.1\r\n/);
    assert.ok(r.duration < 900, `duration ${r.duration}`);
  });

  test('seed 000: 7.5.1 against a client that answers the invalid close reason with 1007 => OK / OK', async () => {
    const r = await one(answersBadReason, '7.5.1', 'wspp');
    assert.deepEqual(closingFields(r), {
      ...serverDefaults,
      behavior: 'OK',
      behaviorClose: 'OK',
      result: MATCH,
      resultClose: CLOSE_OK,
      closedByMe: true,
      droppedByMe: true,
      wasClean: true,
      wasNotCleanReason: null,
      localCloseCode: 1000,
      // docs/verdicts.md, Family post-processing: the invalid UTF-8 reason the fuzzer sent is reported as lowercase hex.
      localCloseReason: 'cebae1bdb9cf83cebcceb5eda080656469746564',
      remoteCloseCode: 1007,
      remoteCloseReason: null,
    });
    assert.equal(r.case, 222);
    assert.deepEqual(plainJson(r.expected), { OK: [] });
    assert.deepEqual(plainJson(r.received), []);
    assert.deepEqual(plainJson(r.expectedClose), { closedByMe: true, closeCode: [1002, 1007], requireClean: false });
    assert.deepEqual(withoutHandshake(r.rxOctetStats, r.httpRequest), new Map([[8, 1]]));
    assert.deepEqual(withoutHandshake(r.txOctetStats, r.httpResponse), new Map([[24, 1]]));
    assert.deepEqual(r.rxFrameStats, new Map([[8, 1]]));
    assert.deepEqual(r.txFrameStats, new Map([[8, 1]]));
    assert.deepEqual(kinds(r), ['RO', 'TO', 'TF', 'TO', 'KL', 'RO', 'RF']);
    assert.ok(r.duration < 900, `duration ${r.duration}`);
  });

  // ------------------------------------------------------------------ defects

  test('does-not-echo on 1.1.1: kill timer => FAILED; the client echoes 1001 => WRONG CODE', async () => {
    const r = await one(doesNotEcho, '1.1.1');
    assert.deepEqual(closingFields(r), {
      ...serverDefaults,
      behavior: 'FAILED',
      // docs/verdicts.md, Close verdict, rule 3: the reply 1001 (the client echoes the code of the fuzzer's Close,
      // RFC 6455 §5.5.1) is not in closeCode [1000]. Rule 1 passes: the fuzzer closed, as 1.1.1 expects.
      behaviorClose: 'WRONG CODE',
      result: DIFFER,
      resultClose: 'The close code should have been 1000 or empty',
      closedByMe: true,
      failedByMe: true,
      droppedByMe: true,
      wasClean: true,
      wasNotCleanReason: null,
      localCloseCode: 1001,
      localCloseReason: 'Going Away',
      remoteCloseCode: 1001,
      remoteCloseReason: null,
    });
    assert.equal(r.case, 1);
    assert.deepEqual(plainJson(r.received), []);
    // Sent the empty text frame, armed KILL(1), it fired, the fuzzer failed with its Close, got the reply.
    assert.deepEqual(
      kinds(r).filter((k) => k !== 'RO' && k !== 'TO'),
      ['TF', 'KL', 'KLE', 'TF', 'RF'],
    );
    assert.ok(r.duration >= 990 && r.duration < 1900, `duration ${r.duration}`);
  });

  test('ignores-close on 7.7.1: no reply to the Close => close-handshake timeout, fuzzer drops TCP => OK / UNCLEAN', async () => {
    const r = await one(ignoresClose, '7.7.1');
    const { failedByMe: _kill, ...fields } = closingFields(r);
    // failedByMe is not asserted: KILL(1) and the 1 s close-handshake timeout expire together
    // (docs/engine.md, Timers), and whether the kill timer still finds the connection open is not specified.
    assert.deepEqual(fields, {
      isServer: true,
      wasServerConnectionDropTimeout: false,
      wasOpenHandshakeTimeout: false,
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
    assert.equal(r.case, 223);
    assert.deepEqual(r.rxFrameStats, new Map());
    assert.deepEqual(r.txFrameStats, new Map([[8, 1]]));
    assert.ok(r.duration >= 990 && r.duration < 1900, `duration ${r.duration}`);
  });

  test('accepts-invalid-utf8 on 6.3.1 and 6.6.1: the fuzzer fails the echo with 1007 => FAILED / FAILED (wrong endpoint)', async () => {
    const results = await run(acceptsInvalidUtf8, ['6.3.1', '6.6.1']);
    const reasons: Record<string, string> = {
      '6.3.1': 'encountered invalid UTF-8 while processing text message at payload octet index 12',
      '6.6.1': 'UTF-8 text message payload ended within Unicode code point at payload octet index 1',
    };
    for (const [id, r] of results) {
      assert.deepEqual(closingFields(r), {
        ...serverDefaults,
        // closedByWrongEndpointIsFatal forces behavior to FAILED; the result text stays (Appendix C.20).
        behavior: 'FAILED',
        behaviorClose: 'FAILED',
        result: MATCH,
        resultClose: WRONG_ENDPOINT,
        closedByMe: true,
        failedByMe: true,
        droppedByMe: true,
        // 6.3.1: the invalid octet is met in the payload (Close 1007) and again when the message
        // ends, a second violation that drops TCP at once; 6.6.1 fails only at the end and waits
        // for the client's Close (docs/engine.md, Failing and closing).
        wasClean: id !== '6.3.1',
        wasNotCleanReason: null,
        localCloseCode: 1007,
        localCloseReason: reasons[id],
        remoteCloseCode: id === '6.3.1' ? null : 1007,
        remoteCloseReason: null,
      }, id);
      assert.equal(r.case, globalPosition(id), id);
      // The invalid echo is not delivered once the fuzzer failed the connection (docs/engine.md, Receiving).
      assert.deepEqual(plainJson(r.received), [], id);
      assert.deepEqual(
        plainJson(r.expectedClose),
        { closedByMe: false, closeCode: [1007], requireClean: false, closedByWrongEndpointIsFatal: true },
        id,
      );
      assert.equal(r.rxFrameStats.get(1), 1, id);
      assert.ok(r.duration < 900, `${id} duration ${r.duration}`);
    }
  });

  test('drops-tcp-without-close on 7.1.1 and 2.1: TCP dropped instead of the close reply => OK / UNCLEAN', async () => {
    const results = await run(dropsTcpWithoutClose, ['2.1', '7.1.1']);
    for (const [id, received] of [
      ['2.1', [['pong', '']]],
      ['7.1.1', [['message', 'Hello World!', false]]],
    ] as const) {
      const r = results.get(id)!;
      assert.deepEqual(closingFields(r), {
        ...serverDefaults,
        behavior: 'OK',
        behaviorClose: 'UNCLEAN',
        result: MATCH,
        resultClose: UNCLEAN,
        // The auto-close after the expected event (docs/verdicts.md, Observed events) made the fuzzer the closing side.
        closedByMe: true,
        droppedByMe: false,
        wasClean: false,
        wasNotCleanReason: PEER_DROPPED,
        localCloseCode: 1000,
        localCloseReason: null,
        remoteCloseCode: null,
        remoteCloseReason: null,
      }, id);
      assert.deepEqual(plainJson(r.received), received, id);
      assert.equal(r.rxFrameStats.get(8), undefined, id);
      assert.ok(r.duration < 900, `${id} duration ${r.duration}`);
    }
  });

  test('drops-tcp-without-close on 6.3.1: dropping TCP instead of failing with 1007 passes (requireClean false)', async () => {
    const r = await one(dropsTcpWithoutClose, '6.3.1');
    assert.deepEqual(closingFields(r), {
      ...serverDefaults,
      behavior: 'OK',
      behaviorClose: 'OK',
      result: MATCH,
      resultClose: CLOSE_OK,
      closedByMe: false,
      droppedByMe: false,
      wasClean: false,
      wasNotCleanReason: PEER_DROPPED,
      localCloseCode: null,
      localCloseReason: null,
      remoteCloseCode: null,
      remoteCloseReason: null,
    });
  });
});
