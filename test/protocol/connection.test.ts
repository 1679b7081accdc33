// The sans-I/O endpoint: bytes in, events and bytes out, for every class of violation.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  closeReasonOctets,
  Connection,
  ConnectionUsageError,
  deflateSettingsForClient,
  negotiateDeflateAsServer,
  type ConnectionEvent,
  type ConnectionOptions,
  type DeflateSettings,
} from '../../src/protocol/connection.js';
import { FrameDecoder, encodeFrame, Opcode } from '../../src/protocol/frame.js';
import { isValidUtf8 } from '../../src/protocol/utf8.js';
import { MessageDeflater } from '../../src/protocol/deflate.js';
import { buildDeflateOffer } from '../../src/protocol/extensions.js';

const KEY = Buffer.from([0x37, 0xfa, 0x21, 0x3d]);

interface FrameOptions {
  fin?: boolean;
  rsv?: number;
  masked?: boolean;
}

/** A frame as a client sends it (masked unless told otherwise). */
function clientFrame(opcode: number, payload: string | Buffer = '', options: FrameOptions = {}): Buffer {
  return encodeFrame({
    opcode,
    payload: typeof payload === 'string' ? Buffer.from(payload) : payload,
    fin: options.fin ?? true,
    rsv: options.rsv ?? 0,
    mask: options.masked === false ? null : KEY,
  });
}

/** A frame as a server sends it (unmasked unless told otherwise). */
function serverFrame(opcode: number, payload: string | Buffer = '', options: FrameOptions = {}): Buffer {
  return clientFrame(opcode, payload, { ...options, masked: options.masked ?? false });
}

function closePayload(code: number, reason: string | Buffer = ''): Buffer {
  const head = Buffer.alloc(2);
  head.writeUInt16BE(code);
  return Buffer.concat([head, typeof reason === 'string' ? Buffer.from(reason) : reason]);
}

interface SentFrame {
  opcode: number;
  fin: boolean;
  rsv: number;
  masked: boolean;
  payload: Buffer;
}

function decodeFrames(chunks: Buffer[]): SentFrame[] {
  const decoder = new FrameDecoder();
  const frames: SentFrame[] = [];
  let current: SentFrame | null = null;
  let parts: Buffer[] = [];
  for (const event of decoder.push(Buffer.concat(chunks))) {
    if (event.type === 'header') {
      const h = event.header;
      current = { opcode: h.opcode, fin: h.fin, rsv: h.rsv, masked: h.masked, payload: Buffer.alloc(0) };
      parts = [];
    } else if (event.type === 'payload') {
      parts.push(event.data);
    } else {
      current!.payload = Buffer.concat(parts);
      frames.push(current!);
    }
  }
  return frames;
}

/** Drain events the way the echo server does: every message is sent straight back. */
function drainEchoing(connection: Connection): ConnectionEvent[] {
  const events: ConnectionEvent[] = [];
  for (let event = connection.nextEvent(); event !== null; event = connection.nextEvent()) {
    events.push(event);
    if (event.type === 'text') connection.sendText(event.data);
    else if (event.type === 'binary') connection.sendBinary(event.data);
  }
  return events;
}

interface Exchange {
  events: ConnectionEvent[];
  frames: SentFrame[];
  connection: Connection;
}

/** Feed `chunks` one receiveData at a time to a fresh echoing endpoint. */
function exchange(chunks: Buffer[], options: ConnectionOptions = { role: 'server' }): Exchange {
  const connection = new Connection(options);
  const events: ConnectionEvent[] = [];
  const output: Buffer[] = [];
  for (const chunk of chunks) {
    connection.receiveData(chunk);
    events.push(...drainEchoing(connection));
    output.push(...connection.dataToSend());
  }
  return { events, frames: decodeFrames(output), connection };
}

/** The failure an input provokes: the event, our Close frame's code, and the TCP signal. */
function expectFailure(input: Buffer | Buffer[], code: number, options: ConnectionOptions = { role: 'server' }): Exchange {
  const result = exchange(Array.isArray(input) ? input : [input], options);
  const failed = result.events.filter((e) => e.type === 'failed');
  assert.equal(failed.length, 1, `expected one failure, got ${JSON.stringify(result.events.map((e) => e.type))}`);
  assert.equal(failed[0]!.type === 'failed' && failed[0]!.code, code);
  const last = result.frames.at(-1);
  assert.ok(last, 'a Close frame was sent');
  assert.equal(last.opcode, Opcode.CLOSE);
  assert.equal(last.payload.readUInt16BE(0), code);
  assert.equal(result.connection.state, 'closed');
  assert.equal(result.connection.shouldCloseTcp, true);
  return result;
}

/** Comparable form of events (payloads as hex). */
function summary(events: ConnectionEvent[]): unknown[] {
  return events.map((e) => ('data' in e ? [e.type, e.data.toString('hex')] : { ...e }));
}

function frameSummary(frames: SentFrame[]): unknown[] {
  return frames.map((f) => [f.opcode, f.fin, f.rsv, f.masked, f.payload.toString('hex')]);
}

describe('a sample exchange, split anywhere', () => {
  const sample = Buffer.concat([
    clientFrame(Opcode.TEXT, 'Hello'),
    clientFrame(Opcode.PING, 'ping!'),
    clientFrame(Opcode.TEXT, 'κό', { fin: false }),
    clientFrame(Opcode.PING, ''),
    clientFrame(Opcode.CONTINUATION, 'σμε', { fin: true }),
    clientFrame(Opcode.BINARY, Buffer.from([0, 0xff, 0xfe])),
    clientFrame(Opcode.PONG, 'unsolicited'),
    clientFrame(Opcode.CLOSE, closePayload(1000, 'bye')),
  ]);
  const reference = exchange([sample]);

  test('the unsplit exchange gives the expected events and replies', () => {
    assert.deepEqual(summary(reference.events), [
      ['text', Buffer.from('Hello').toString('hex')],
      ['ping', Buffer.from('ping!').toString('hex')],
      ['ping', ''],
      ['text', Buffer.from('κόσμε').toString('hex')],
      ['binary', '00fffe'],
      ['pong', Buffer.from('unsolicited').toString('hex')],
      { type: 'close', code: 1000, reason: 'bye' },
    ]);
    assert.deepEqual(frameSummary(reference.frames), [
      [Opcode.TEXT, true, 0, false, Buffer.from('Hello').toString('hex')],
      [Opcode.PONG, true, 0, false, Buffer.from('ping!').toString('hex')],
      [Opcode.PONG, true, 0, false, ''],
      [Opcode.TEXT, true, 0, false, Buffer.from('κόσμε').toString('hex')],
      [Opcode.BINARY, true, 0, false, '00fffe'],
      // The peer's code is echoed, without the reason.
      [Opcode.CLOSE, true, 0, false, '03e8'],
    ]);
    assert.equal(reference.connection.state, 'closed');
    assert.equal(reference.connection.shouldCloseTcp, true);
  });

  test('every single split position gives the same result', () => {
    for (let i = 0; i <= sample.length; i++) {
      const split = exchange([sample.subarray(0, i), sample.subarray(i)]);
      assert.deepEqual(summary(split.events), summary(reference.events), `split at ${i}`);
      assert.deepEqual(frameSummary(split.frames), frameSummary(reference.frames), `split at ${i}`);
    }
  });

  test('every pair of split positions gives the same result', () => {
    for (let i = 0; i <= sample.length; i++) {
      for (let j = i; j <= sample.length; j++) {
        const split = exchange([sample.subarray(0, i), sample.subarray(i, j), sample.subarray(j)]);
        assert.deepEqual(summary(split.events), summary(reference.events), `split at ${i}, ${j}`);
        assert.deepEqual(frameSummary(split.frames), frameSummary(reference.frames), `split at ${i}, ${j}`);
      }
    }
  });

  test('one octet at a time gives the same result', () => {
    const octets = [...sample].map((b) => Buffer.from([b]));
    const split = exchange(octets);
    assert.deepEqual(summary(split.events), summary(reference.events));
    assert.deepEqual(frameSummary(split.frames), frameSummary(reference.frames));
  });
});

describe('RFC 6455 §5.2: framing violations fail with 1002', () => {
  const hello = 'Hello, world!';
  for (const rsv of [1, 2, 3, 4, 5, 6, 7]) {
    test(`RSV=${rsv} without an extension`, () => {
      expectFailure(clientFrame(Opcode.TEXT, hello, { rsv }), 1002);
    });
  }
  for (const opcode of [3, 4, 5, 6, 7, 11, 12, 13, 14, 15]) {
    test(`reserved opcode ${opcode}`, () => {
      expectFailure(clientFrame(opcode, hello), 1002);
    });
  }
  test('a valid message before a violation in the same chunk is echoed first (Autobahn 3.2)', () => {
    const result = expectFailure(
      Buffer.concat([clientFrame(Opcode.TEXT, hello), clientFrame(Opcode.TEXT, hello, { rsv: 2 }), clientFrame(Opcode.PING)]),
      1002,
    );
    assert.deepEqual(
      result.frames.map((f) => f.opcode),
      [Opcode.TEXT, Opcode.CLOSE],
      'the echo, then the Close, and no Pong',
    );
  });
  test('an unmasked frame from a client', () => {
    expectFailure(clientFrame(Opcode.TEXT, hello, { masked: false }), 1002);
  });
  test('a masked frame from a server', () => {
    expectFailure(serverFrame(Opcode.TEXT, hello, { masked: true }), 1002, { role: 'client' });
  });
  test('a length not minimally encoded', () => {
    const frame = Buffer.concat([Buffer.from([0x81, 0x80 | 126, 0x00, 0x05]), KEY, Buffer.from('hello')]);
    expectFailure(frame, 1002);
  });
  test('a 64-bit length with the most significant bit set', () => {
    expectFailure(Buffer.concat([Buffer.from([0x82, 0x80 | 127, 0x80, 0, 0, 0, 0, 0, 0, 1]), KEY]), 1002);
  });
  test('a fragmented ping (Autobahn 5.1)', () => {
    expectFailure([clientFrame(Opcode.PING, 'fragment1', { fin: false }), clientFrame(Opcode.CONTINUATION, 'fragment2')], 1002);
  });
  test('a fragmented pong (Autobahn 5.2)', () => {
    expectFailure([clientFrame(Opcode.PONG, 'fragment1', { fin: false }), clientFrame(Opcode.CONTINUATION, 'fragment2')], 1002);
  });
  test('a control frame with 126 octets of payload, failed on the header alone (Autobahn 2.5)', () => {
    const frame = clientFrame(Opcode.PING, Buffer.alloc(126, 0xfe));
    expectFailure(frame.subarray(0, 8), 1002);
  });
  test('a continuation frame with no message to continue (Autobahn 5.9, 5.12)', () => {
    expectFailure(clientFrame(Opcode.CONTINUATION, 'non-continuation payload'), 1002);
    expectFailure(clientFrame(Opcode.CONTINUATION, 'non-continuation payload', { fin: false }), 1002);
  });
  test('a new text frame inside a fragmented message (Autobahn 5.18)', () => {
    expectFailure([clientFrame(Opcode.TEXT, 'fragment1', { fin: false }), clientFrame(Opcode.TEXT, 'fragment2')], 1002);
  });
  test('nothing after the violation is interpreted', () => {
    const result = expectFailure([clientFrame(9, '', { rsv: 1 }), clientFrame(Opcode.TEXT, 'late')], 1002);
    assert.equal(result.frames.length, 1);
    assert.equal(result.events.length, 1);
  });
});

describe('RFC 6455 §8.1: invalid UTF-8 fails with 1007, fail-fast', () => {
  const GREEK = Buffer.from('cebae1bdb9cf83cebcceb5', 'hex');
  test('in a single frame', () => {
    expectFailure(clientFrame(Opcode.TEXT, Buffer.concat([GREEK, Buffer.from('eda080', 'hex')])), 1007);
  });
  test('at the first invalid octet of a frame whose end has not arrived yet', () => {
    const payload = Buffer.concat([GREEK, Buffer.from('f4908080', 'hex'), Buffer.from('edited')]);
    const frame = clientFrame(Opcode.TEXT, payload);
    const header = 6; // 2 octets + key
    expectFailure(frame.subarray(0, header + GREEK.length + 2), 1007);
  });
  test('a lead octet at the end of a fragment is still valid; the next fragment decides (Autobahn 6.4.2)', () => {
    const connection = new Connection({ role: 'server' });
    connection.receiveData(clientFrame(Opcode.TEXT, Buffer.concat([GREEK, Buffer.from([0xf4])]), { fin: false }));
    assert.deepEqual(connection.eventsReceived(), []);
    assert.deepEqual(connection.dataToSend(), []);
    connection.receiveData(clientFrame(Opcode.CONTINUATION, Buffer.from([0x90]), { fin: false }));
    const events = connection.eventsReceived();
    assert.equal(events[0]?.type === 'failed' && events[0].code, 1007);
  });
  test('split inside code points across 1-octet fragments, valid', () => {
    const frames = [...GREEK].map((b, i) =>
      clientFrame(i === 0 ? Opcode.TEXT : Opcode.CONTINUATION, Buffer.from([b]), { fin: i === GREEK.length - 1 }),
    );
    const result = exchange(frames);
    assert.deepEqual(summary(result.events), [['text', GREEK.toString('hex')]]);
  });
  test('a message ending inside a code point', () => {
    expectFailure(clientFrame(Opcode.TEXT, Buffer.from([0x41, 0xce])), 1007);
  });
  test('binary messages are not checked', () => {
    const result = exchange([clientFrame(Opcode.BINARY, Buffer.from([0xff, 0xfe]))]);
    assert.deepEqual(summary(result.events), [['binary', 'fffe']]);
  });
});

describe('RFC 6455 §5.5.1, §7.4: the peer starts the closing handshake', () => {
  for (const code of [1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 1012, 1013, 1014, 3000, 3999, 4000, 4999]) {
    test(`a valid code ${code} is echoed and the server ends TCP`, () => {
      const result = exchange([clientFrame(Opcode.CLOSE, closePayload(code))]);
      assert.deepEqual(summary(result.events), [{ type: 'close', code, reason: '' }]);
      assert.deepEqual(frameSummary(result.frames), [[Opcode.CLOSE, true, 0, false, closePayload(code).toString('hex')]]);
      assert.equal(result.connection.shouldCloseTcp, true);
      assert.deepEqual(result.connection.closeReceived, { code, reason: '' });
    });
  }
  test('an empty Close is answered with an empty Close', () => {
    const result = exchange([clientFrame(Opcode.CLOSE)]);
    assert.deepEqual(summary(result.events), [{ type: 'close', code: null, reason: '' }]);
    assert.deepEqual(frameSummary(result.frames), [[Opcode.CLOSE, true, 0, false, '']]);
  });
  for (const code of [0, 999, 1004, 1005, 1006, 1015, 1016, 1100, 2000, 2999, 5000, 65535]) {
    test(`an invalid code ${code} fails with 1002`, () => {
      expectFailure(clientFrame(Opcode.CLOSE, closePayload(code)), 1002);
    });
  }
  test('a 1-octet Close payload fails with 1002', () => {
    expectFailure(clientFrame(Opcode.CLOSE, 'a'), 1002);
  });
  test('a 126-octet Close payload fails with 1002', () => {
    expectFailure(clientFrame(Opcode.CLOSE, closePayload(1000, '*'.repeat(124))), 1002);
  });
  test('a 125-octet Close payload is fine', () => {
    const result = exchange([clientFrame(Opcode.CLOSE, closePayload(1000, '*'.repeat(123)))]);
    assert.equal(result.events[0]?.type, 'close');
  });
  test('a close reason of invalid UTF-8 fails with 1007', () => {
    expectFailure(clientFrame(Opcode.CLOSE, closePayload(1000, Buffer.from('cebae1bdb9cf83cebcceb5eda080656469746564', 'hex'))), 1007);
  });
  test('frames after the Close are ignored (Autobahn 7.1.2–7.1.4)', () => {
    const result = exchange([
      Buffer.concat([
        clientFrame(Opcode.CLOSE, closePayload(1000)),
        clientFrame(Opcode.CLOSE),
        clientFrame(Opcode.PING),
        clientFrame(Opcode.TEXT, 'Hello World!'),
      ]),
    ]);
    assert.deepEqual(result.frames.map((f) => f.opcode), [Opcode.CLOSE]);
    assert.equal(result.events.length, 1);
  });
  test('a Close in the middle of a fragmented message ends it (Autobahn 7.1.5)', () => {
    const result = exchange([
      clientFrame(Opcode.TEXT, 'fragment1', { fin: false }),
      clientFrame(Opcode.CLOSE, closePayload(1000)),
      clientFrame(Opcode.CONTINUATION, 'fragment2'),
    ]);
    assert.deepEqual(result.frames.map((f) => f.opcode), [Opcode.CLOSE]);
    assert.deepEqual(summary(result.events), [{ type: 'close', code: 1000, reason: '' }]);
  });
});

describe('we start the closing handshake', () => {
  test('data and pings are ignored while closing; the peer\'s Close completes it', () => {
    const connection = new Connection({ role: 'server' });
    connection.close(1000, 'done');
    assert.equal(connection.state, 'closing');
    assert.equal(connection.needsCloseTimer, true);
    assert.equal(connection.shouldCloseTcp, false);
    assert.deepEqual(frameSummary(decodeFrames(connection.dataToSend())), [
      [Opcode.CLOSE, true, 0, false, closePayload(1000, 'done').toString('hex')],
    ]);
    connection.receiveData(Buffer.concat([clientFrame(Opcode.TEXT, 'ignored'), clientFrame(Opcode.PING, 'x')]));
    assert.deepEqual(connection.eventsReceived(), []);
    assert.deepEqual(connection.dataToSend(), []);
    connection.receiveData(clientFrame(Opcode.CLOSE, closePayload(1000)));
    assert.deepEqual(summary(connection.eventsReceived()), [{ type: 'close', code: 1000, reason: '' }]);
    assert.deepEqual(connection.dataToSend(), [], 'no second Close');
    assert.equal(connection.state, 'closed');
    assert.equal(connection.shouldCloseTcp, true);
    assert.equal(connection.needsCloseTimer, false);
  });
  test('the peer may finish a fragmented message after our Close', () => {
    const connection = new Connection({ role: 'server' });
    connection.receiveData(clientFrame(Opcode.TEXT, 'fragment1', { fin: false }));
    assert.deepEqual(connection.eventsReceived(), []);
    connection.close(1001);
    connection.dataToSend();
    connection.receiveData(Buffer.concat([clientFrame(Opcode.CONTINUATION, 'fragment2'), clientFrame(Opcode.CLOSE, closePayload(1001))]));
    assert.deepEqual(summary(connection.eventsReceived()), [{ type: 'close', code: 1001, reason: '' }]);
    assert.equal(connection.failure, null);
    assert.equal(connection.shouldCloseTcp, true);
  });
  test('the close timer expiring ends TCP', () => {
    const connection = new Connection({ role: 'server' });
    connection.close();
    connection.dataToSend();
    connection.closeTimeoutExpired();
    assert.equal(connection.state, 'closed');
    assert.equal(connection.shouldCloseTcp, true);
    assert.deepEqual(summary(connection.eventsReceived()), [{ type: 'failed', code: 1006, reason: 'closing handshake timed out' }]);
    assert.deepEqual(connection.dataToSend(), []);
  });
  test('an empty Close', () => {
    const connection = new Connection({ role: 'server' });
    connection.close(null);
    assert.deepEqual(frameSummary(decodeFrames(connection.dataToSend())), [[Opcode.CLOSE, true, 0, false, '']]);
  });
  test('the peer dropping TCP while open is an abnormal closure (1006)', () => {
    const connection = new Connection({ role: 'server' });
    connection.receiveData(clientFrame(Opcode.TEXT, 'last words'));
    connection.receiveEof();
    assert.deepEqual(summary(connection.eventsReceived()), [
      ['text', Buffer.from('last words').toString('hex')],
      { type: 'failed', code: 1006, reason: 'connection closed without a closing handshake' },
    ]);
    assert.equal(connection.shouldCloseTcp, true);
  });
});

describe('pings and pongs', () => {
  test('a ping is answered with the same payload; a pong is not answered', () => {
    const result = exchange([clientFrame(Opcode.PING, Buffer.alloc(125, 0xfe)), clientFrame(Opcode.PONG, 'pong')]);
    assert.deepEqual(frameSummary(result.frames), [[Opcode.PONG, true, 0, false, Buffer.alloc(125, 0xfe).toString('hex')]]);
  });
  test('pings between fragments are answered at once (Autobahn 5.19)', () => {
    const connection = new Connection({ role: 'server' });
    connection.receiveData(Buffer.concat([clientFrame(Opcode.TEXT, 'fragment1', { fin: false }), clientFrame(Opcode.PING, 'pongme 1!')]));
    drainEchoing(connection);
    assert.deepEqual(frameSummary(decodeFrames(connection.dataToSend())), [
      [Opcode.PONG, true, 0, false, Buffer.from('pongme 1!').toString('hex')],
    ]);
    connection.receiveData(clientFrame(Opcode.CONTINUATION, 'fragment2'));
    drainEchoing(connection);
    assert.deepEqual(frameSummary(decodeFrames(connection.dataToSend())), [
      [Opcode.TEXT, true, 0, false, Buffer.from('fragment1fragment2').toString('hex')],
    ]);
  });
  test('ten pings sent octet by octet get ten pongs (Autobahn 2.11)', () => {
    const pings = Buffer.concat(Array.from({ length: 10 }, (_, i) => clientFrame(Opcode.PING, `payload-${i}`)));
    const result = exchange([...pings].map((b) => Buffer.from([b])));
    assert.deepEqual(
      result.frames.map((f) => f.payload.toString()),
      Array.from({ length: 10 }, (_, i) => `payload-${i}`),
    );
  });
});

describe('message size limits (1009)', () => {
  test('a header declaring too much fails before the payload arrives', () => {
    const header = Buffer.concat([Buffer.from([0x82, 0x80 | 126, 0x03, 0xe9]), KEY]); // 1001 octets
    expectFailure(header, 1009, { role: 'server', maxMessageSize: 1000 });
  });
  test('fragments adding up to too much', () => {
    expectFailure(
      [clientFrame(Opcode.BINARY, Buffer.alloc(600), { fin: false }), clientFrame(Opcode.CONTINUATION, Buffer.alloc(600))],
      1009,
      { role: 'server', maxMessageSize: 1000 },
    );
  });
  test('the default limit is 64 MiB', () => {
    const length = 64 * 1024 * 1024 + 1;
    const header = Buffer.alloc(10);
    header[0] = 0x82;
    header[1] = 0x80 | 127;
    header.writeUInt32BE(0, 2);
    header.writeUInt32BE(length, 6);
    expectFailure(Buffer.concat([header, KEY]), 1009);
  });
  test('a 16 MiB message arriving in 64 KiB chunks is accepted', () => {
    const payload = Buffer.alloc(16 * 1024 * 1024, 0x2a);
    const frame = clientFrame(Opcode.TEXT, payload);
    const connection = new Connection({ role: 'server' });
    const events: ConnectionEvent[] = [];
    for (let i = 0; i < frame.length; i += 65536) {
      connection.receiveData(frame.subarray(i, i + 65536));
      events.push(...connection.eventsReceived());
    }
    assert.equal(events.length, 1);
    assert.equal(events[0]!.type, 'text');
    assert.ok(events[0]!.type === 'text' && events[0]!.data.equals(payload));
  });
  test('a 4 MiB message in 65,537 fragments has no fragment limit and is quick (Autobahn 9.3.1)', () => {
    const fragment = Buffer.alloc(64, 0x2a);
    const frames: Buffer[] = [clientFrame(Opcode.TEXT, fragment, { fin: false })];
    for (let i = 1; i < 65536; i++) frames.push(clientFrame(Opcode.CONTINUATION, fragment, { fin: false }));
    frames.push(clientFrame(Opcode.CONTINUATION, ''));
    const wire = Buffer.concat(frames);
    const started = Date.now();
    const connection = new Connection({ role: 'server' });
    const events: ConnectionEvent[] = [];
    for (let i = 0; i < wire.length; i += 65536) {
      connection.receiveData(wire.subarray(i, i + 65536));
      events.push(...drainEchoing(connection));
    }
    const elapsed = Date.now() - started;
    assert.equal(events.length, 1);
    assert.equal(events[0]!.type === 'text' && events[0]!.data.length, 4 * 1024 * 1024);
    assert.ok(elapsed < 3000, `took ${elapsed} ms`);
  });
});

describe('RFC 7692 permessage-deflate', () => {
  const deflate: DeflateSettings = { sendWindowBits: 15, sendNoContextTakeover: false, receiveNoContextTakeover: false };

  /** A compressed message as a client sends it, split into frames of `fragmentSize` octets. */
  function compressedFrames(message: Buffer, opcode: number, fragmentSize = Infinity, deflater = new MessageDeflater(15, false)): Buffer[] {
    const data = deflater.compress(message).data;
    const frames: Buffer[] = [];
    for (let offset = 0; offset === 0 || offset < data.length; offset += fragmentSize) {
      const piece = data.subarray(offset, offset + fragmentSize);
      const last = offset + fragmentSize >= data.length;
      frames.push(clientFrame(offset === 0 ? opcode : Opcode.CONTINUATION, piece, { fin: last, rsv: offset === 0 ? 4 : 0 }));
    }
    return frames;
  }

  test('a compressed message is inflated and echoed compressed', () => {
    const message = Buffer.from('Hello, compressed world! '.repeat(20));
    const result = exchange(compressedFrames(message, Opcode.TEXT), { role: 'server', deflate });
    assert.deepEqual(summary(result.events), [['text', message.toString('hex')]]);
    assert.equal(result.frames.length, 1);
    assert.equal(result.frames[0]!.rsv, 4);
    assert.ok(result.frames[0]!.payload.length < message.length);
  });
  test('a fragmented compressed message has RSV1 on the first frame only', () => {
    const message = Buffer.from(Array.from({ length: 2000 }, (_, i) => `${i},`).join(''));
    const frames = compressedFrames(message, Opcode.BINARY, 64);
    assert.ok(frames.length > 3);
    const result = exchange([Buffer.concat(frames)], { role: 'server', deflate });
    assert.deepEqual(summary(result.events), [['binary', message.toString('hex')]]);
  });
  test('an uncompressed message (RSV1 = 0) is accepted as is', () => {
    const result = exchange([clientFrame(Opcode.TEXT, 'plain')], { role: 'server', deflate });
    assert.deepEqual(summary(result.events), [['text', Buffer.from('plain').toString('hex')]]);
  });
  test('context takeover across messages', () => {
    const deflater = new MessageDeflater(15, false);
    const message = Buffer.from('repeated repeated repeated content');
    const frames = [...compressedFrames(message, Opcode.TEXT, Infinity, deflater), ...compressedFrames(message, Opcode.TEXT, Infinity, deflater)];
    const result = exchange(frames, { role: 'server', deflate });
    assert.deepEqual(summary(result.events), [
      ['text', message.toString('hex')],
      ['text', message.toString('hex')],
    ]);
  });
  test('RSV1 on a continuation frame fails with 1002', () => {
    expectFailure(
      [clientFrame(Opcode.TEXT, 'a', { fin: false, rsv: 4 }), clientFrame(Opcode.CONTINUATION, 'b', { rsv: 4 })],
      1002,
      { role: 'server', deflate },
    );
  });
  test('RSV1 on a control frame fails with 1002', () => {
    expectFailure(clientFrame(Opcode.PING, '', { rsv: 4 }), 1002, { role: 'server', deflate });
  });
  test('RSV2 and RSV3 still fail with 1002', () => {
    expectFailure(clientFrame(Opcode.TEXT, 'a', { rsv: 2 }), 1002, { role: 'server', deflate });
    expectFailure(clientFrame(Opcode.TEXT, 'a', { rsv: 1 }), 1002, { role: 'server', deflate });
  });
  test('corrupt compressed data fails with 1007', () => {
    expectFailure(clientFrame(Opcode.BINARY, Buffer.from([0xff, 0xff, 0xff, 0xff, 0xff]), { rsv: 4 }), 1007, { role: 'server', deflate });
  });
  test('compressed text that inflates to invalid UTF-8 fails with 1007', () => {
    expectFailure(compressedFrames(Buffer.from('cebae1bdb9cf83cebcceb5eda080', 'hex'), Opcode.TEXT), 1007, { role: 'server', deflate });
  });
  test('invalid UTF-8 that only the final inflater flush produces fails with 1007', () => {
    // Found by random testing: this corrupt stream inflates to valid text until the closing
    // 00 00 ff ff is fed, whose output ends in 0x4f 0xff.
    expectFailure(clientFrame(Opcode.TEXT, Buffer.from('3ab7eb7c0fff', 'hex'), { rsv: 4 }), 1007, { role: 'server', deflate });
  });
  test('a message inflating beyond the limit fails with 1009 (a small compressed bomb)', () => {
    const bomb = compressedFrames(Buffer.alloc(1024 * 1024), Opcode.BINARY);
    expectFailure(bomb, 1009, { role: 'server', deflate, maxMessageSize: 64 * 1024 });
  });

  test('client and server endpoints talk to each other, with and without context takeover', () => {
    for (const sendNoContextTakeover of [false, true]) {
      const settings: DeflateSettings = { sendWindowBits: 9, sendNoContextTakeover, receiveNoContextTakeover: sendNoContextTakeover };
      const client = new Connection({ role: 'client', deflate: settings });
      const server = new Connection({ role: 'server', deflate: settings });
      const messages = ['first message first message', 'second message, second message', 'x'.repeat(5000)];
      for (const m of messages) client.sendText(m);
      const wire = client.dataToSend();
      for (const frame of decodeFrames(wire)) {
        assert.equal(frame.masked, true);
        assert.equal(frame.rsv, 4);
      }
      for (const chunk of wire) server.receiveData(chunk);
      drainEchoing(server);
      for (const chunk of server.dataToSend()) client.receiveData(chunk);
      assert.deepEqual(
        client.eventsReceived().map((e) => e.type === 'text' && e.data.toString()),
        messages,
      );
    }
  });

  describe('negotiation (server side), answering like the ws package', () => {
    const offer = (requestNoContextTakeover: boolean, requestMaxWindowBits: number) =>
      buildDeflateOffer({ requestNoContextTakeover, requestMaxWindowBits });
    const cases: Array<[string, string, DeflateSettings]> = [
      [offer(false, 0), 'permessage-deflate; client_no_context_takeover', { sendWindowBits: 15, sendNoContextTakeover: false, receiveNoContextTakeover: true }],
      [offer(true, 0), 'permessage-deflate; client_no_context_takeover; server_no_context_takeover', { sendWindowBits: 15, sendNoContextTakeover: true, receiveNoContextTakeover: true }],
      [offer(false, 9), 'permessage-deflate; client_no_context_takeover; server_max_window_bits=9', { sendWindowBits: 9, sendNoContextTakeover: false, receiveNoContextTakeover: true }],
      [offer(true, 15), 'permessage-deflate; client_no_context_takeover; server_no_context_takeover; server_max_window_bits=15', { sendWindowBits: 15, sendNoContextTakeover: true, receiveNoContextTakeover: true }],
      ['permessage-deflate; client_max_window_bits', 'permessage-deflate', { sendWindowBits: 15, sendNoContextTakeover: false, receiveNoContextTakeover: false }],
      ['permessage-deflate; client_max_window_bits=10', 'permessage-deflate; client_max_window_bits=10', { sendWindowBits: 15, sendNoContextTakeover: false, receiveNoContextTakeover: false }],
    ];
    for (const [header, response, settings] of cases) {
      test(header, () => {
        assert.deepEqual(negotiateDeflateAsServer(header), { response, settings });
      });
    }
    test('the first acceptable offer wins (Autobahn 13.7)', () => {
      const header = [offer(true, 9), offer(true, 0), offer(false, 0)].join(', ');
      assert.equal(
        negotiateDeflateAsServer(header)?.response,
        'permessage-deflate; client_no_context_takeover; server_no_context_takeover; server_max_window_bits=9',
      );
    });
    test('an offer asking for an 8-bit server window is declined in favour of the next', () => {
      assert.equal(
        negotiateDeflateAsServer('permessage-deflate; server_max_window_bits=8, permessage-deflate')?.response,
        'permessage-deflate',
      );
      assert.equal(negotiateDeflateAsServer('permessage-deflate; server_max_window_bits=8'), null);
    });
    test('no offer, other extensions, malformed offers', () => {
      assert.equal(negotiateDeflateAsServer(undefined), null);
      assert.equal(negotiateDeflateAsServer('x-webkit-deflate-frame'), null);
      assert.equal(negotiateDeflateAsServer('permessage-deflate; unknown_parameter'), null);
    });
    test('client side settings from a response', () => {
      assert.deepEqual(
        deflateSettingsForClient({ serverNoContextTakeover: true, clientNoContextTakeover: false, serverMaxWindowBits: null, clientMaxWindowBits: 10 }),
        { sendWindowBits: 10, sendNoContextTakeover: false, receiveNoContextTakeover: true },
      );
    });
  });
});

describe('the client role', () => {
  test('frames are masked with a fresh key each', () => {
    const connection = new Connection({ role: 'client' });
    connection.sendText('one');
    connection.sendText('one');
    const chunks = connection.dataToSend();
    const frames = decodeFrames(chunks);
    assert.deepEqual(frames.map((f) => [f.masked, f.payload.toString()]), [[true, 'one'], [true, 'one']]);
    assert.notDeepEqual(chunks[0], chunks[1], 'different keys');
  });
  test('after the closing handshake the client waits for the server to end TCP', () => {
    const connection = new Connection({ role: 'client' });
    connection.receiveData(serverFrame(Opcode.CLOSE, closePayload(1001)));
    assert.equal(connection.eventsReceived()[0]?.type, 'close');
    assert.equal(connection.state, 'closed');
    assert.equal(connection.shouldCloseTcp, false);
    assert.equal(connection.needsCloseTimer, true);
    connection.receiveEof();
    connection.eventsReceived();
    assert.equal(connection.shouldCloseTcp, true);
  });
  test('... or until its close timer expires', () => {
    const connection = new Connection({ role: 'client' });
    connection.close(1000);
    connection.receiveData(serverFrame(Opcode.CLOSE, closePayload(1000)));
    connection.eventsReceived();
    assert.equal(connection.shouldCloseTcp, false);
    connection.closeTimeoutExpired();
    assert.equal(connection.shouldCloseTcp, true);
  });
  test('a failure ends TCP at once, in either role', () => {
    expectFailure(serverFrame(Opcode.TEXT, 'x', { rsv: 2 }), 1002, { role: 'client' });
  });
});

describe('using the API wrongly', () => {
  test('sending text that is not UTF-8', () => {
    const connection = new Connection({ role: 'server' });
    assert.throws(() => connection.sendText(Buffer.from([0xff])), ConnectionUsageError);
  });
  test('a control payload over 125 octets', () => {
    const connection = new Connection({ role: 'server' });
    assert.throws(() => connection.sendPing(Buffer.alloc(126)), ConnectionUsageError);
  });
  test('close codes that may not be sent, and overlong reasons', () => {
    const connection = new Connection({ role: 'server' });
    for (const code of [1005, 1006, 1015, 999, 5000]) assert.throws(() => connection.close(code), ConnectionUsageError);
    assert.throws(() => connection.close(1000, 'x'.repeat(124)), ConnectionUsageError);
    assert.throws(() => connection.close(null, 'reason'), ConnectionUsageError);
  });
  test('sending after the close', () => {
    const connection = new Connection({ role: 'server' });
    connection.close();
    assert.throws(() => connection.sendText('late'), ConnectionUsageError);
    assert.throws(() => connection.close(), ConnectionUsageError);
  });
});

describe('RFC 6455 §5.5: the reason of a failing Close fits in 123 octets', () => {
  test('cut by UTF-8 octets, never inside a sequence', () => {
    const cases: Array<[string, number]> = [
      ['protocol error', 14], // short: unchanged
      ['x'.repeat(123), 123],
      ['x'.repeat(200), 123],
      ['é'.repeat(100), 122], // 2-octet sequences: 61 of them, not half of the 62nd
      ['€'.repeat(50), 123], // 3-octet sequences: exactly 41
      ['x€'.repeat(40), 121], // 30 pairs of 4 octets and an 'x'; the next € would end at octet 124
      ['😀'.repeat(40), 120], // 4-octet sequences (surrogate pairs in UTF-16): 30 of them
    ];
    for (const [reason, octets] of cases) {
      const cut = closeReasonOctets(reason);
      assert.equal(cut.length, octets, reason.slice(0, 3));
      assert.ok(isValidUtf8(cut), reason.slice(0, 3));
      assert.ok(reason.startsWith(cut.toString('utf8')), reason.slice(0, 3));
    }
  });

  test('UTF-16 length would be wrong: 100 "é" are 100 units but 200 octets', () => {
    const reason = 'é'.repeat(100);
    assert.ok(reason.length <= 123 && Buffer.byteLength(reason) > 123);
    assert.equal(closeReasonOctets(reason).length, 122);
  });
});
