// The one-defect timing peers (batch-reader.ts, close-then-drop.ts, no-utf8-check.ts) against a raw
// client that controls exactly what goes into each write, so the defect each one stands for is
// pinned down independently of the fuzzer's own write timing.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { randomBytes } from 'node:crypto';
import { encodeFrame, FrameDecoder, Opcode } from '../../src/protocol/frame.js';
import { buildClientRequest } from '../../src/protocol/handshake.js';
import { splitHead } from '../../src/protocol/http.js';
import { encodeClosePayload } from '../../src/protocol/close.js';
import { startPeerProcess, type PeerProcess } from '../support/processes.js';
import { CLOSE_GRACE_MS } from './timing-peer.js';

interface Frame {
  opcode: number;
  payload: Buffer;
}

interface RawClient {
  socket: net.Socket;
  frames: Frame[];
  /** Resolves when the peer has ended or reset the connection. */
  gone: Promise<void>;
  /** Resolves once `n` frames have arrived. */
  received(n: number): Promise<void>;
}

/** Masked client frame. */
function frame(opcode: number, payload: string | Buffer = '', rsv = 0, fin = true): Buffer {
  return encodeFrame({ opcode, payload: Buffer.from(payload), rsv, fin, mask: randomBytes(4) });
}

function text(payload: string | Buffer): Buffer {
  return frame(Opcode.TEXT, payload);
}

/** Open a WebSocket connection to `peer`; allowHalfOpen, so writes after the peer's FIN still go out. */
function connect(peer: PeerProcess): Promise<RawClient> {
  const socket = net.connect({ host: '127.0.0.1', port: peer.port, allowHalfOpen: true });
  const frames: Frame[] = [];
  const gone = new Promise<void>((resolve) => {
    socket.on('end', resolve);
    socket.on('close', () => resolve());
  });
  socket.on('error', () => undefined);
  return new Promise((resolve, reject) => {
    socket.once('connect', () =>
      socket.write(buildClientRequest({ resource: '/', hostPort: `127.0.0.1:${peer.port}`, key: randomBytes(16).toString('base64'), userAgent: 'test' })),
    );
    let head = Buffer.alloc(0);
    const decoder = new FrameDecoder();
    let current: { opcode: number; chunks: Buffer[] } | null = null;
    const waiting: Array<{ n: number; done: () => void }> = [];
    const onFrames = (chunk: Buffer) => {
      for (const ev of decoder.push(chunk)) {
        if (ev.type === 'header') current = { opcode: ev.header.opcode, chunks: [] };
        else if (ev.type === 'payload') current!.chunks.push(Buffer.from(ev.data));
        else frames.push({ opcode: current!.opcode, payload: Buffer.concat(current!.chunks) });
      }
      for (const w of waiting) if (frames.length >= w.n) w.done();
    };
    const received = (n: number) =>
      new Promise<void>((done) => (frames.length >= n ? done() : waiting.push({ n, done })));
    const onHead = (chunk: Buffer) => {
      head = Buffer.concat([head, chunk]);
      const split = splitHead(head);
      if (split.kind !== 'complete') return;
      socket.off('data', onHead);
      if (!/^HTTP\/1\.1 101 /.test(split.head.toString('latin1'))) return reject(new Error(split.head.toString('latin1')));
      socket.on('data', onFrames);
      onFrames(split.rest);
      resolve({ socket, frames, gone, received });
    };
    socket.on('data', onHead);
  });
}

function closeOf(code: number, reason?: string): Frame {
  return { opcode: Opcode.CLOSE, payload: encodeClosePayload(code, reason === undefined ? null : Buffer.from(reason)) };
}

/** Masked client Close. */
function close(code: number, reason: Buffer | null = null): Buffer {
  return frame(Opcode.CLOSE, encodeClosePayload(code, reason));
}

async function withPeer(script: string, body: (peer: PeerProcess) => Promise<void>): Promise<void> {
  const peer = await startPeerProcess(script);
  try {
    await body(peer);
  } finally {
    await peer.stop();
  }
}

/**
 * Send `octets` in one write; once `replies` frames came back, send a Close 1000 (unless
 * `replies` is null); the frames the peer sent until it was gone.
 */
async function exchange(peer: PeerProcess, octets: Buffer[], replies: number | null): Promise<Frame[]> {
  const c = await connect(peer);
  c.socket.write(Buffer.concat(octets));
  if (replies !== null) {
    await c.received(replies);
    c.socket.write(close(1000));
  }
  await c.gone;
  c.socket.destroy();
  return c.frames;
}

describe('timing peers', { timeout: 30_000 }, () => {
  test('batch-reader: the echoes of a read are dropped when that read held a violation; pongs are not', async () => {
    await withPeer('peers/batch-reader.js', async (peer) => {
      assert.deepEqual(await exchange(peer, [text('one'), text('two')], 2), [
        { opcode: Opcode.TEXT, payload: Buffer.from('one') },
        { opcode: Opcode.TEXT, payload: Buffer.from('two') },
        closeOf(1000),
      ]);
      // A Close in the same read ends the connection before the read's echoes go out.
      assert.deepEqual(await exchange(peer, [text('one'), close(1000)], null), [closeOf(1000)]);
      assert.deepEqual(await exchange(peer, [text('Hello'), frame(Opcode.TEXT, 'Hello', 2), frame(Opcode.PING, 'p')], null), [
        closeOf(1002, 'RSV bits set without extension'),
      ]);
      assert.deepEqual(await exchange(peer, [frame(Opcode.PING, 'p'), text('Hello'), frame(5)], null), [
        { opcode: Opcode.PONG, payload: Buffer.from('p') },
        closeOf(1002, 'Reserved opcode 5'),
      ]);
    });
  });

  test('no-utf8-check: invalid UTF-8 is echoed, in messages and in close reasons', async () => {
    await withPeer('peers/no-utf8-check.js', async (peer) => {
      const invalid = Buffer.from([0x48, 0xce, 0xba, 0xed, 0xa0, 0x80, 0x21]);
      const c = await connect(peer);
      c.socket.write(text(invalid));
      await c.received(1);
      c.socket.write(close(1000, invalid));
      await c.gone;
      c.socket.destroy();
      assert.deepEqual(c.frames, [{ opcode: Opcode.TEXT, payload: invalid }, closeOf(1000)]);
    });
  });

  test('close-then-drop: fails with its Close and is gone at once, without waiting for the reply', async () => {
    await withPeer('peers/close-then-drop.js', async (peer) => {
      const c = await connect(peer);
      c.socket.write(frame(Opcode.CONTINUATION, 'orphan'));
      await c.gone;
      assert.deepEqual(c.frames, [closeOf(1002, 'Continuation frame without message')]);
      // Its socket is closed, not half-closed as after a normal Close (which it would only destroy
      // after CLOSE_GRACE_MS): what is sent now is answered with a reset.
      const reset = new Promise<string>((resolve) => c.socket.once('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? '')));
      const grace = new Promise<string>((resolve) => setTimeout(() => resolve('no reset within half the grace period'), CLOSE_GRACE_MS / 2).unref());
      const poke = setInterval(() => c.socket.write(frame(Opcode.PING)), 20);
      try {
        assert.match(await Promise.race([reset, grace]), /^(ECONNRESET|EPIPE)$/);
      } finally {
        clearInterval(poke);
        c.socket.destroy();
      }
    });
  });
});
