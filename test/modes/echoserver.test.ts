// The reference echo server over real sockets: the ws client, and raw TCP for what ws cannot send.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { randomBytes } from 'node:crypto';
import WebSocket from 'ws';
import { startEchoServer, type EchoServer } from '../../src/modes/echoserver.js';
import { acceptKey, buildClientRequest } from '../../src/protocol/handshake.js';
import { encodeFrame, FrameDecoder, Opcode } from '../../src/protocol/frame.js';
import { MessageDeflater, MessageInflater } from '../../src/protocol/deflate.js';
import { PRODUCT } from '../../src/version.js';

const KEY = Buffer.from([1, 2, 3, 4]);

function openClient(url: string, perMessageDeflate: boolean): Promise<WebSocket> {
  const ws = new WebSocket(url, { perMessageDeflate });
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });
}

function nextMessage(ws: WebSocket): Promise<{ data: Buffer; isBinary: boolean }> {
  return new Promise((resolve) => ws.once('message', (data: Buffer, isBinary: boolean) => resolve({ data, isBinary })));
}

function closed(ws: WebSocket): Promise<{ code: number; reason: string }> {
  return new Promise((resolve) => ws.once('close', (code: number, reason: Buffer) => resolve({ code, reason: reason.toString() })));
}

/** Everything the server sends until it closes the connection. */
function collectUntilClosed(socket: net.Socket): Promise<Buffer> {
  const chunks: Buffer[] = [];
  socket.on('data', (chunk: Buffer) => chunks.push(chunk));
  socket.on('error', () => undefined);
  return new Promise((resolve) => socket.once('close', () => resolve(Buffer.concat(chunks))));
}

function connectRaw(port: number): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: '127.0.0.1', port }, () => resolve(socket));
    socket.once('error', reject);
  });
}

function upgradeRequest(port: number, extensions: string | null = null, version = 13): { request: string; key: string } {
  const key = randomBytes(16).toString('base64');
  return { key, request: buildClientRequest({ resource: '/', hostPort: `127.0.0.1:${port}`, key, userAgent: 'test', extensions, version }) };
}

interface ReceivedFrame {
  opcode: number;
  rsv: number;
  masked: boolean;
  payload: Buffer;
}

/** Split what a raw client received into the HTTP head and the frames after it. */
function parseReply(data: Buffer): { head: string; frames: ReceivedFrame[] } {
  const end = data.indexOf('\r\n\r\n');
  assert.ok(end >= 0, `no HTTP head in ${JSON.stringify(data.toString('latin1').slice(0, 100))}`);
  const frames: ReceivedFrame[] = [];
  let parts: Buffer[] = [];
  let current: ReceivedFrame | null = null;
  for (const event of new FrameDecoder().push(data.subarray(end + 4))) {
    if (event.type === 'header') {
      current = { opcode: event.header.opcode, rsv: event.header.rsv, masked: event.header.masked, payload: Buffer.alloc(0) };
      parts = [];
    } else if (event.type === 'payload') parts.push(event.data);
    else {
      current!.payload = Buffer.concat(parts);
      frames.push(current!);
    }
  }
  return { head: data.subarray(0, end).toString('latin1'), frames };
}

/** Handshake, send `frames` in one write, and collect the reply until the server closes TCP. */
async function rawSession(port: number, frames: Buffer[], extensions: string | null = null): Promise<{ head: string; frames: ReceivedFrame[]; key: string }> {
  const socket = await connectRaw(port);
  const reply = collectUntilClosed(socket);
  const { request, key } = upgradeRequest(port, extensions);
  socket.write(Buffer.concat([Buffer.from(request), ...frames]));
  return { ...parseReply(await reply), key };
}

function frame(opcode: number, payload: string | Buffer = '', options: { fin?: boolean; rsv?: number; masked?: boolean } = {}): Buffer {
  return encodeFrame({
    opcode,
    payload: typeof payload === 'string' ? Buffer.from(payload) : payload,
    fin: options.fin ?? true,
    rsv: options.rsv ?? 0,
    mask: options.masked === false ? null : KEY,
  });
}

function closeCodeOf(f: ReceivedFrame | undefined): number | null {
  assert.ok(f, 'a frame was received');
  assert.equal(f.opcode, Opcode.CLOSE);
  return f.payload.length >= 2 ? f.payload.readUInt16BE(0) : null;
}

describe('echo server', () => {
  let server: EchoServer;
  before(async () => {
    server = await startEchoServer({ port: 0, closeTimeoutMs: 300, openTimeoutMs: 500 });
  });
  after(async () => {
    await server.close();
  });

  test('listens on 127.0.0.1 with a ws:// URL', () => {
    assert.ok(server.port > 0);
    assert.equal(server.url, `ws://127.0.0.1:${server.port}/`);
  });

  for (const perMessageDeflate of [false, true]) {
    describe(`with the ws client, permessage-deflate ${perMessageDeflate ? 'on' : 'off'}`, () => {
      let ws: WebSocket;
      before(async () => {
        ws = await openClient(server.url, perMessageDeflate);
      });
      after(() => ws.terminate());

      test('negotiates the extension as asked', () => {
        assert.equal(ws.extensions, perMessageDeflate ? 'permessage-deflate' : '');
      });
      test('echoes text as text', async () => {
        const reply = nextMessage(ws);
        ws.send('Hello, wörld! κόσμε');
        const { data, isBinary } = await reply;
        assert.equal(isBinary, false);
        assert.equal(data.toString(), 'Hello, wörld! κόσμε');
      });
      test('echoes binary as binary', async () => {
        const payload = randomBytes(1000);
        const reply = nextMessage(ws);
        ws.send(payload);
        const { data, isBinary } = await reply;
        assert.equal(isBinary, true);
        assert.ok(data.equals(payload));
      });
      test('echoes an empty message', async () => {
        const reply = nextMessage(ws);
        ws.send('');
        assert.equal((await reply).data.length, 0);
      });
      test('echoes a fragmented message as one message', async () => {
        const reply = nextMessage(ws);
        ws.send('fragment1', { fin: false });
        ws.send('fragment2', { fin: false });
        ws.send('fragment3', { fin: true });
        const { data, isBinary } = await reply;
        assert.equal(isBinary, false);
        assert.equal(data.toString(), 'fragment1fragment2fragment3');
      });
      test('echoes a 16 MiB message', async () => {
        const payload = Buffer.alloc(16 * 1024 * 1024);
        for (let i = 0; i < payload.length; i += 4096) payload[i] = i & 0xff;
        const reply = nextMessage(ws);
        ws.send(payload);
        const { data, isBinary } = await reply;
        assert.equal(isBinary, true);
        assert.ok(data.equals(payload));
      });
      test('answers a ping with a pong carrying the same payload', async () => {
        const pong = new Promise<Buffer>((resolve) => ws.once('pong', resolve));
        ws.ping('are you there?');
        assert.equal((await pong).toString(), 'are you there?');
      });
      test('echoes many messages in order', async () => {
        const received: string[] = [];
        const done = new Promise<void>((resolve) => {
          const onMessage = (data: Buffer) => {
            received.push(data.toString());
            if (received.length === 200) {
              ws.off('message', onMessage);
              resolve();
            }
          };
          ws.on('message', onMessage);
        });
        for (let i = 0; i < 200; i++) ws.send(`message ${i}`);
        await done;
        assert.deepEqual(received, Array.from({ length: 200 }, (_, i) => `message ${i}`));
      });
      test('echoes the close code', async () => {
        const other = await openClient(server.url, perMessageDeflate);
        const done = closed(other);
        other.close(4001, 'bye');
        assert.equal((await done).code, 4001);
      });
    });
  }

  test('selects the first subprotocol the client offers', async () => {
    const ws = new WebSocket(server.url, ['chat.v2', 'chat.v1']);
    await new Promise((resolve, reject) => {
      ws.once('open', resolve);
      ws.once('error', reject);
    });
    assert.equal(ws.protocol, 'chat.v2');
    ws.terminate();
  });

  describe('raw TCP', () => {
    test('the 101 response carries the accept key and a Server header', async () => {
      const reply = await rawSession(server.port, [frame(Opcode.CLOSE, Buffer.from([0x03, 0xe8]))]);
      const lines = reply.head.split('\r\n');
      assert.equal(lines[0], 'HTTP/1.1 101 Switching Protocols');
      assert.ok(lines.includes(`Sec-WebSocket-Accept: ${acceptKey(reply.key)}`));
      assert.ok(lines.includes(`Server: ${PRODUCT}`));
      assert.ok(!reply.head.toLowerCase().includes('sec-websocket-extensions'));
      assert.equal(closeCodeOf(reply.frames[0]), 1000);
    });

    test('compressed messages are echoed compressed (RSV1 on the echo)', async () => {
      const message = Buffer.from('a compressible message, a compressible message');
      const compressed = new MessageDeflater(15, true).compress(message).data;
      const offer = 'permessage-deflate; client_no_context_takeover; client_max_window_bits';
      const reply = await rawSession(
        server.port,
        [frame(Opcode.TEXT, compressed, { rsv: 4 }), frame(Opcode.CLOSE, Buffer.from([0x03, 0xe8]))],
        offer,
      );
      assert.ok(reply.head.includes('Sec-WebSocket-Extensions: permessage-deflate; client_no_context_takeover'));
      const [echo, close] = reply.frames;
      assert.equal(echo?.opcode, Opcode.TEXT);
      assert.equal(echo?.rsv, 4);
      assert.equal(echo?.masked, false);
      const inflater = new MessageInflater(15, false, 1 << 20);
      inflater.beginMessage();
      const inflated = Buffer.concat([inflater.push(echo!.payload), inflater.endMessage()]);
      assert.ok(inflated.equals(message));
      assert.equal(closeCodeOf(close), 1000);
    });

    test('frames sent along with the handshake are processed', async () => {
      const reply = await rawSession(server.port, [frame(Opcode.TEXT, 'early'), frame(Opcode.CLOSE)]);
      assert.deepEqual(
        reply.frames.map((f) => [f.opcode, f.payload.toString()]),
        [
          [Opcode.TEXT, 'early'],
          [Opcode.CLOSE, ''],
        ],
      );
    });

    const violations: Array<[string, Buffer[], number]> = [
      ['RSV2 set', [frame(Opcode.TEXT, 'x', { rsv: 2 })], 1002],
      ['RSV1 without negotiation', [frame(Opcode.TEXT, 'x', { rsv: 4 })], 1002],
      ['a reserved opcode', [frame(5)], 1002],
      ['an unmasked frame', [frame(Opcode.TEXT, 'x', { masked: false })], 1002],
      ['a fragmented ping', [frame(Opcode.PING, 'x', { fin: false })], 1002],
      ['an orphan continuation', [frame(Opcode.CONTINUATION, 'x')], 1002],
      ['an invalid close code', [frame(Opcode.CLOSE, Buffer.from([0x03, 0xec]))], 1002],
      ['a 1-octet close payload', [frame(Opcode.CLOSE, 'a')], 1002],
      ['invalid UTF-8 text', [frame(Opcode.TEXT, Buffer.from('cebae1bdb9cf83cebcceb5eda080', 'hex'))], 1007],
      ['invalid UTF-8 in a close reason', [frame(Opcode.CLOSE, Buffer.from('03e8eda080', 'hex'))], 1007],
    ];
    for (const [name, frames, code] of violations) {
      test(`${name} gets a Close with ${code}, then TCP is closed`, async () => {
        const reply = await rawSession(server.port, frames);
        assert.ok(reply.head.startsWith('HTTP/1.1 101'));
        assert.equal(reply.frames.length, 1);
        assert.equal(closeCodeOf(reply.frames[0]), code);
      });
    }

    test('invalid UTF-8 fails fast, before the message is complete', async () => {
      const socket = await connectRaw(server.port);
      const reply = collectUntilClosed(socket);
      socket.write(upgradeRequest(server.port).request);
      // A 21-octet text frame of which only the first 13 payload octets are sent, up to the bad one.
      const whole = frame(Opcode.TEXT, Buffer.from('cebae1bdb9cf83cebcceb5f4908080656469746564', 'hex'));
      socket.write(whole.subarray(0, 6 + 13));
      const { frames } = parseReply(await reply);
      assert.equal(closeCodeOf(frames[0]), 1007);
    });

    test('a peer that ignores our Close is dropped after the close timeout', async () => {
      const local = await startEchoServer({ closeTimeoutMs: 200 });
      try {
        const socket = await connectRaw(local.port);
        const reply = collectUntilClosed(socket);
        socket.write(upgradeRequest(local.port).request);
        await new Promise((resolve) => socket.once('data', resolve));
        const started = Date.now();
        const closing = local.close();
        const { frames } = parseReply(await reply);
        assert.equal(closeCodeOf(frames[0]), 1001);
        assert.ok(Date.now() - started < 2000);
        await closing;
      } finally {
        await local.close();
      }
    });
  });

  describe('HTTP', () => {
    async function httpExchange(request: Buffer | string): Promise<string> {
      const socket = await connectRaw(server.port);
      const reply = collectUntilClosed(socket);
      socket.write(request);
      return (await reply).toString('latin1');
    }

    test('garbage bytes instead of a handshake get a 400 at once', async () => {
      const started = Date.now();
      const reply = await httpExchange(Buffer.from([0x16, 0x03, 0x01, 0x00, 0xa5, 0x01, 0x00, 0x00, 0xa1, 0x03, 0x03]));
      assert.match(reply, /^HTTP\/1\.1 400 /);
      assert.ok(Date.now() - started < 400, 'not after the open timeout');
    });
    test('a garbage head gets a 400', async () => {
      assert.match(await httpExchange('hello there\r\n\r\n'), /^HTTP\/1\.1 400 /);
    });
    test('a plain GET gets a small text page', async () => {
      const reply = await httpExchange(`GET / HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\n\r\n`);
      assert.match(reply, /^HTTP\/1\.1 200 OK\r\n/);
      assert.match(reply, /echo server/);
    });
    test('an unsupported version gets a 400 naming version 13', async () => {
      const reply = await httpExchange(upgradeRequest(server.port, null, 8).request);
      assert.match(reply, /^HTTP\/1\.1 400 /);
      assert.match(reply, /\r\nSec-WebSocket-Version: 13\r\n/);
    });
    test('a malformed deflate offer gets a 400', async () => {
      const reply = await httpExchange(upgradeRequest(server.port, 'permessage-deflate; bogus').request);
      assert.match(reply, /^HTTP\/1\.1 400 /);
    });
    test('a client that never finishes its handshake gets a 408', async () => {
      const reply = await httpExchange('GET / HTTP/1.1\r\n');
      assert.match(reply, /^HTTP\/1\.1 408 /);
    });
  });

  test('server.close() ends open connections with 1001', async () => {
    const local = await startEchoServer();
    const clients = await Promise.all([openClient(local.url, true), openClient(local.url, false)]);
    const closes = clients.map(closed);
    const started = Date.now();
    await local.close();
    for (const result of await Promise.all(closes)) assert.equal(result.code, 1001);
    assert.ok(Date.now() - started < 1000, `took ${Date.now() - started} ms`);
    await assert.rejects(openClient(local.url, false));
  });
});
