// The fuzzing engine without sockets or real time: inline bytes in, a fake clock, and the writes
// (grouped per turn), timer requests, TCP actions and the case record out.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { QUEUED_FRAME_PACE_MS } from '../../src/fuzz/outbox.js';
import { FuzzEngine, type EngineClock, type EngineOutput } from '../../src/fuzz/engine.js';
import { DEFAULT_OPTIONS, type FuzzerOptions } from '../../src/fuzz/options.js';
import type { CaseDefinition } from '../../src/fuzz/case.js';
import { message } from '../../src/fuzz/events.js';
import { judge } from '../../src/fuzz/verdict.js';
import { caseById } from '../../src/cases/index.js';
import { script } from '../support/script.js';
import { encodeFrame, Opcode } from '../../src/protocol/frame.js';
import type { TimerRequest } from '../../src/fuzz/timers.js';

const RESPONSE = 'HTTP/1.1 101 Switching Protocols\r\n\r\n';
const MASK = Buffer.from([1, 2, 3, 4]);

class FakeClock implements EngineClock {
  t = 1000;
  now(): number {
    return this.t;
  }
  date(): Date {
    return new Date(0);
  }
}

/** A frame as the fuzzer (server role, unmasked) writes it. */
function ours(opcode: number, payload: string | Buffer = '', extra: { fin?: boolean; rsv?: number } = {}): Buffer {
  return encodeFrame({ opcode, payload: Buffer.from(payload), ...extra });
}

/** A frame as the peer (client role, masked) sends it. */
function peer(opcode: number, payload: string | Buffer = '', fin = true): Buffer {
  return encodeFrame({ opcode, payload: Buffer.from(payload), fin, mask: MASK });
}

function closePayload(code: number, reason = ''): Buffer {
  const b = Buffer.alloc(2);
  b.writeUInt16BE(code);
  return Buffer.concat([b, Buffer.from(reason)]);
}


/** A server-role engine whose handshake is done: returns the engine and the first turn's output. */
function serve(def: CaseDefinition, options: Partial<FuzzerOptions> = {}) {
  const clock = new FakeClock();
  const engine = new FuzzEngine(def, { ...DEFAULT_OPTIONS, ...options }, true, {}, clock);
  const first = engine.startServer([Buffer.from('GET / HTTP/1.1\r\n\r\n')], 'GET / HTTP/1.1', RESPONSE, null, Buffer.alloc(0));
  return { engine, clock, first };
}

/** The octets of a turn's write after the handshake response. */
function framesOf(out: EngineOutput): Buffer {
  const data = out.write?.data ?? Buffer.alloc(0);
  return data.subarray(data.indexOf('\r\n\r\n') >= 0 ? data.indexOf('\r\n\r\n') + 4 : 0);
}

function armed(out: EngineOutput): Extract<TimerRequest, { kind: 'arm' }>[] {
  return out.timers.filter((t): t is Extract<TimerRequest, { kind: 'arm' }> => t.kind === 'arm');
}

function toEntries(engine: FuzzEngine): Array<[number, boolean]> {
  return engine.caseRecord.wirelog.entries
    .filter((e) => e[0] === 'TO')
    .map((e) => [(e[1] as [number, string])[0], e[2] as boolean]);
}

describe('engine: writes and turns', () => {
  test('everything written in one turn leaves in one write: the response and the frames of onOpen (3.2)', () => {
    const { engine, first } = serve(caseById('3.2'));
    const hello = 'Hello, world!';
    const expected = Buffer.concat([
      Buffer.from(RESPONSE, 'latin1'),
      ours(Opcode.TEXT, hello),
      ours(Opcode.TEXT, hello, { rsv: 2 }),
      ours(Opcode.PING),
    ]);
    assert.deepEqual(first.write, { data: expected, sync: false });
    assert.equal(first.yieldTurn, false);
    // One TO entry per write call, as the original logs them.
    assert.deepEqual(toEntries(engine), [[RESPONSE.length, false], [15, false], [15, false], [2, false]]);
  });

  test('a streamed frame: header and payload written in one turn leave together', () => {
    const { engine, first } = serve(
      script((s) => {
        s.beginFrame(Opcode.TEXT, 5, true);
        s.sendFrameData(Buffer.from('ab'));
        s.sendFrameData(Buffer.from('cde'));
      }),
    );
    assert.deepEqual(framesOf(first), ours(Opcode.TEXT, 'abcde'));
    assert.deepEqual(toEntries(engine).slice(1), [[2, false], [2, false], [3, false]]);
  });

  test('sync frames: the first two leave with the turn, then one per turn; a plain write queues behind them', () => {
    const { engine, first } = serve(
      script((s) => {
        s.sendFrame({ opcode: Opcode.TEXT, payload: Buffer.from('a'), sync: true });
        s.sendFrame({ opcode: Opcode.TEXT, payload: Buffer.from('b'), sync: true });
        s.sendFrame({ opcode: Opcode.TEXT, payload: Buffer.from('c'), sync: true });
        s.sendFrame({ opcode: Opcode.TEXT, payload: Buffer.from('d') });
      }),
    );
    assert.deepEqual(framesOf(first), Buffer.concat([ours(Opcode.TEXT, 'a'), ours(Opcode.TEXT, 'b')]));
    assert.equal(first.write?.sync, true);
    assert.equal(first.yieldTurn, true);
    const second = engine.nextTurn();
    assert.deepEqual(second.write, { data: ours(Opcode.TEXT, 'c'), sync: true });
    assert.equal(second.yieldTurn, true);
    const third = engine.nextTurn();
    assert.deepEqual(third.write, { data: ours(Opcode.TEXT, 'd'), sync: false });
    const fourth = engine.nextTurn();
    assert.equal(fourth.write, null);
    assert.equal(fourth.yieldTurn, false);
    // The queue is idle again: a plain write leaves with its own turn at once.
    const outside: EngineOutput[] = [];
    engine.onOutsideTurn = (out) => outside.push(out);
    engine.sendFrame({ opcode: Opcode.PING });
    assert.deepEqual(outside.map((out) => [out.write, out.yieldTurn]), [[{ data: ours(Opcode.PING), sync: false }, false]]);
  });

  test('case code called outside any turn is a turn of its own, handed to the driver', () => {
    const { engine } = serve(script(() => {}));
    const outside: EngineOutput[] = [];
    engine.onOutsideTurn = (out) => outside.push(out);
    engine.sendMessage(Buffer.from('late'), false);
    engine.killAfter(2);
    assert.equal(outside.length, 2);
    assert.deepEqual(outside[0]!.write, { data: ours(Opcode.TEXT, 'late'), sync: false });
    assert.deepEqual(armed(outside[1]!).map((t) => t.delayMs).includes(2000), true);
  });

  test('a chopped frame: pieces are sync writes, one per turn after the first two (3.4)', () => {
    const { engine, first } = serve(caseById('3.4'));
    const all = Buffer.concat([ours(Opcode.TEXT, 'Hello, world!'), ours(Opcode.TEXT, 'Hello, world!', { rsv: 4 }), ours(Opcode.PING)]);
    const seen = [framesOf(first)];
    assert.equal(seen[0]!.length, 2);
    for (let out = engine.nextTurn(); out.write !== null; out = engine.nextTurn()) {
      assert.equal(out.write.data.length, 1);
      assert.equal(out.write.sync, true);
      seen.push(out.write.data);
    }
    assert.deepEqual(Buffer.concat(seen), all);
    assert.equal(toEntries(engine).length, 1 + all.length);
    assert.ok(toEntries(engine).slice(1).every(([, sync]) => sync));
  });

  test('the pace: a timer after a queued write that completes a frame, the next turn inside a frame (3.4)', () => {
    const { engine, first } = serve(caseById('3.4'));
    const frameEnds = new Set<number>();
    let end = 0;
    for (const frame of [ours(Opcode.TEXT, 'Hello, world!'), ours(Opcode.TEXT, 'Hello, world!', { rsv: 4 }), ours(Opcode.PING)]) {
      end += frame.length;
      frameEnds.add(end);
    }
    // The first turn carried octets 1 and 2 (inside the first frame): the next piece follows a turn later.
    assert.equal(first.yieldTurn, true);
    assert.equal(first.paceMs, 0);
    let sent = 2;
    for (let out = engine.nextTurn(); out.write !== null; out = engine.nextTurn()) {
      sent += out.write.data.length;
      if (!out.yieldTurn) break;
      assert.equal(out.paceMs, frameEnds.has(sent) ? QUEUED_FRAME_PACE_MS : 0, `after octet ${sent}`);
    }
    assert.equal(sent, end);
  });

  test('sync frames are paced after each (every write completes a frame)', () => {
    const { engine, first } = serve(
      script((s) => {
        for (const p of ['a', 'b', 'c', 'd']) s.sendFrame({ opcode: Opcode.TEXT, payload: Buffer.from(p), sync: true });
      }),
    );
    assert.deepEqual([first.yieldTurn, first.paceMs], [true, QUEUED_FRAME_PACE_MS]);
    const second = engine.nextTurn();
    assert.deepEqual([second.yieldTurn, second.paceMs], [true, QUEUED_FRAME_PACE_MS]);
  });

  test('a chopped 1 MiB frame: no pause between its pieces (9.5.1)', () => {
    const { engine, first } = serve(caseById('9.5.1'));
    const frameLength = 2 + 8 + 1024 * 1024;
    assert.equal(first.paceMs, 0);
    let sent = 128;
    let turns = 0;
    for (let out = engine.nextTurn(); out.write !== null; out = engine.nextTurn()) {
      sent += out.write.data.length;
      turns++;
      // Only the last piece completes the frame.
      assert.equal(out.paceMs, sent === frameLength ? QUEUED_FRAME_PACE_MS : 0, `after octet ${sent}`);
    }
    assert.equal(sent, frameLength);
    assert.equal(turns, Math.ceil(frameLength / 64) - 2);
  });

  test('a turn without writes writes nothing', () => {
    const { engine } = serve(script(() => {}));
    const out = engine.receive(peer(Opcode.PONG, 'x'));
    assert.equal(out.write, null);
    assert.equal(out.tcp, null);
  });
});

describe('engine: timers and closing', () => {
  test('killAfter arms a timer; when it fires the connection fails with 1001, then the close timer drops TCP', () => {
    const { engine, first } = serve(script((s) => s.killAfter(1)));
    const kill = armed(first).find((t) => t.delayMs === 1000);
    assert.ok(kill);
    const fired = engine.timerFired(kill.id);
    assert.deepEqual(framesOf(fired), ours(Opcode.CLOSE, closePayload(1001, 'Going Away')));
    assert.equal(engine.state, 'CLOSING');
    const closeTimer = armed(fired).find((t) => t.delayMs === DEFAULT_OPTIONS.closeHandshakeTimeout * 1000);
    assert.ok(closeTimer);
    const dropped = engine.timerFired(closeTimer.id);
    assert.equal(dropped.tcp, 'abort');
    const done = engine.tcpClosed().done;
    assert.ok(done);
    assert.equal(done.wasCloseHandshakeTimeout, true);
    assert.equal(done.droppedByMe, true);
    assert.equal(done.wasClean, false);
  });

  test('a cancelled timer that fires anyway does nothing', () => {
    const { engine, first } = serve(script((s) => s.killAfter(1)));
    const kill = armed(first).find((t) => t.delayMs === 1000)!;
    engine.timerFired(kill.id);
    const again = engine.timerFired(kill.id);
    assert.equal(again.write, null);
  });

  test('the case duration comes from the clock', () => {
    const { engine, clock } = serve(script((s) => s.sendClose(1000)));
    clock.t += 250;
    engine.receive(peer(Opcode.CLOSE, closePayload(1000)));
    const done = engine.tcpClosed().done!;
    assert.equal(done.durationMs, 250);
  });

  test('a full echo case (1.1.1): echo, our Close, the reply, TCP closed by us, verdict OK/OK', () => {
    const def = caseById('1.1.1');
    const { engine, first } = serve(def);
    assert.deepEqual(framesOf(first), ours(Opcode.TEXT, ''));
    const echoed = engine.receive(peer(Opcode.TEXT, ''));
    assert.deepEqual(echoed.write?.data, ours(Opcode.CLOSE, closePayload(1000)));
    const reply = engine.receive(peer(Opcode.CLOSE, closePayload(1000)));
    assert.equal(reply.tcp, 'abort');
    const record = engine.tcpClosed().done!;
    assert.deepEqual(record.received, [message('')]);
    const verdict = judge(def, record);
    assert.equal(verdict.behavior, 'OK');
    assert.equal(verdict.behaviorClose, 'OK');
  });
});

describe('engine: the second violation drops TCP', () => {
  test('invalid UTF-8 echoed back (6.3.1): Close 1007, then the end of the same message drops TCP', () => {
    const def = caseById('6.3.1');
    const { engine, first } = serve(def);
    const sent = framesOf(first);
    // The peer echoes the text frame without validating it.
    const payload = sent.subarray(2, sent.length);
    const out = engine.receive(peer(Opcode.TEXT, payload));
    const close = out.write!.data;
    assert.equal(close[0], 0x88);
    assert.equal(close.readUInt16BE(2), 1007);
    assert.equal(out.tcp, 'end');
    assert.equal(engine.state, 'CLOSED');
    const record = engine.tcpClosed().done!;
    assert.equal(record.failedByMe, true);
    assert.equal(record.droppedByMe, true);
    assert.equal(record.wasClean, false);
    assert.equal(record.remoteCloseCode, null);
    assert.equal(record.localCloseCode, 1007);
    // The frame is logged without the payload that was no longer taken in.
    const rf = record.wirelog.entries.find((e) => e[0] === 'RF')!;
    assert.deepEqual(rf[1], [0, '']);
    const verdict = judge(def, record);
    assert.equal(verdict.behavior, 'FAILED');
    assert.equal(verdict.behaviorClose, 'FAILED');
  });

  test('invalid UTF-8 in a fragment: the first violation sends Close; the final fragment drops TCP', () => {
    const { engine } = serve(script(() => {}));
    const out = engine.receive(peer(Opcode.TEXT, Buffer.from([0x61, 0xff]), false));
    assert.equal(out.write!.data.readUInt16BE(2), 1007);
    assert.equal(out.tcp, null);
    assert.equal(engine.state, 'CLOSING');
    const end = engine.receive(peer(Opcode.CONTINUATION, 'x', true));
    assert.equal(end.write, null);
    assert.equal(end.tcp, 'end');
    const record = engine.tcpClosed().done!;
    assert.deepEqual([record.droppedByMe, record.wasClean, record.remoteCloseCode], [true, false, null]);
  });

  test('a text message cut inside a code point by a violation: its end is a second violation', () => {
    const { engine } = serve(script(() => {}));
    engine.receive(peer(Opcode.TEXT, Buffer.from([0x61, 0xce]), false));
    const bad = engine.receive(encodeFrame({ opcode: Opcode.CONTINUATION, payload: Buffer.from([0xba]), fin: false, rsv: 2, mask: MASK }));
    assert.equal(bad.write!.data.readUInt16BE(2), 1002);
    assert.equal(engine.state, 'CLOSING');
    const end = engine.receive(peer(Opcode.CONTINUATION, 'x', true));
    assert.equal(end.tcp, 'end');
    assert.equal(engine.tcpClosed().done!.remoteCloseCode, null);
  });

  test('after failing, a valid text message that ends is not delivered and drops nothing', () => {
    const { engine } = serve(script(() => {}));
    const bad = engine.receive(encodeFrame({ opcode: Opcode.BINARY, rsv: 1, mask: MASK }));
    assert.equal(bad.write!.data.readUInt16BE(2), 1002);
    const text = engine.receive(peer(Opcode.TEXT, 'fine'));
    assert.equal(text.tcp, null);
    const reply = engine.receive(peer(Opcode.CLOSE, closePayload(1002)));
    assert.equal(reply.tcp, 'abort');
    const record = engine.tcpClosed().done!;
    assert.deepEqual([record.received, record.wasClean, record.remoteCloseCode], [[], true, 1002]);
  });

  test('a peer that fails itself first: its Close is answered and the handshake is clean', () => {
    const { engine } = serve(script((s) => s.sendFrame({ opcode: Opcode.TEXT, payload: Buffer.from([0xff]) })));
    const out = engine.receive(peer(Opcode.CLOSE, closePayload(1007)));
    assert.deepEqual(out.write?.data, ours(Opcode.CLOSE, closePayload(1000)));
    const record = engine.tcpClosed().done!;
    assert.deepEqual([record.wasClean, record.remoteCloseCode, record.closedByMe], [true, 1007, false]);
  });
});

describe('engine: a case that writes its own request (category 14)', () => {
  test('the chunks leave one per timer, in order; the 101 then opens the connection', () => {
    const clock = new FakeClock();
    const engine = new FuzzEngine(script(() => undefined), { ...DEFAULT_OPTIONS }, false, {}, clock);
    const chunks = [Buffer.from('GET / HTTP/1.1\r\n'), Buffer.from('Host: x\r\n'), Buffer.from('\r\n')];
    const key = 'dGhlIHNhbXBsZSBub25jZQ==';
    const first = engine.startClient({ text: 'GET / HTTP/1.1\r\nHost: x\r\n\r\n', chunks, paceSeconds: 0.05 }, { key, offeredDeflate: false, protocols: [] });
    assert.deepEqual(first.write?.data, chunks[0]);
    const pacing = armed(first).filter((t) => t.delayMs <= 100);
    assert.deepEqual(pacing.map((t) => t.delayMs), [50, 100]);
    assert.deepEqual(engine.timerFired(pacing[0]!.id).write?.data, chunks[1]);
    assert.deepEqual(engine.timerFired(pacing[1]!.id).write?.data, chunks[2]);
    assert.equal(engine.caseRecord.httpRequest, 'GET / HTTP/1.1\r\nHost: x\r\n\r\n');
    engine.receive(Buffer.from(`HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n\r\n`));
    assert.equal(engine.state, 'OPEN');
  });
});
