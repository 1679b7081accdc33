// A tiny, correct WebSocket echo server on node:net (RFC 6455, server role) with hooks, so that each
// peer in this folder can add exactly one defect. Port 0 on 127.0.0.1; every socket is tracked so
// close() never leaves anything behind.
import net from 'node:net';
import { FrameDecoder, encodeFrame, isControlOpcode, Opcode, type FrameHeader } from '../../src/protocol/frame.js';
import { buildHttpErrorResponse, buildServerResponse, checkClientRequest } from '../../src/protocol/handshake.js';
import { headText, splitHead } from '../../src/protocol/http.js';
import { closeCodeIsValid, encodeClosePayload } from '../../src/protocol/close.js';
import { isValidUtf8, Utf8Validator } from '../../src/protocol/utf8.js';

export interface RunningPeer {
  url: string;
  close(): Promise<void>;
}

/** One accepted WebSocket connection, as the hooks see it. */
export interface Conn {
  readonly socket: net.Socket;
  /** The client's Sec-WebSocket-Key. */
  readonly key: string;
  /** A Close was sent by this peer (as initiator or as reply). */
  closeSent: boolean;
  /** Write one unmasked frame (ignored once the socket is gone). */
  send(opcode: number, payload?: Uint8Array, fin?: boolean): void;
  /** Send a Close; `code` null = empty payload. */
  sendClose(code: number | null, reason?: string): void;
  /** Fail the connection (RFC 6455 §7.1.7): Close with `code`, close TCP once the client answers. */
  fail(code: number, reason?: string): void;
  /** Close TCP (graceful FIN), unless the peer is configured never to close it. */
  end(): void;
}

/** What a correct server does with the client's Close. */
export interface CloseInfo {
  code: number | null;
  reason: Buffer;
  /** The code a correct server answers with: echo, 1002 for an invalid code / 1-octet body, 1007 for a bad reason, null for an empty Close. */
  reply: number | null;
}

export interface PeerHooks {
  /** Take over right after TCP accept: no handshake is read or answered by the base. */
  onAccept?(socket: net.Socket): void;
  /** The 101 response to a valid request (default: correct). */
  response?(key: string): string;
  /** Runs right after the handshake response was written. */
  onOpen?(conn: Conn): void;
  /** A complete, accepted data message (default: echo it). */
  onMessage?(conn: Conn, payload: Buffer, binary: boolean): void;
  /** The client's Close while this peer has not sent one (default: answerClose). */
  onClose?(conn: Conn, info: CloseInfo): void;
  /** A protocol error in the client's frames (default: conn.fail(code)). Not failing = skip the frame. */
  onProtocolError?(conn: Conn, code: number, why: string): void;
  /** Text validation: per chunk (default, RFC 6455 §8.1 fail-fast), only at message end, or never. */
  utf8?: 'fail-fast' | 'at-end' | 'never';
  /** False: the peer never closes TCP itself. */
  closesTcp?: boolean;
  /** False: every request head is answered with `response` (no RFC 6455 §4.2.1 checks at all). */
  validateRequest?: boolean;
}

/** The correct answer to a client's Close: reply (echo) and close TCP. */
export function answerClose(conn: Conn, info: CloseInfo): void {
  conn.sendClose(info.reply);
  conn.end();
}

/** The correct 101 response. */
export function correctResponse(key: string): string {
  return buildServerResponse({ key });
}

const MAX_MESSAGE = 64 * 1024 * 1024;

/** Start a peer with the given hooks (none = a correct echo server). */
export function startPeer(hooks: PeerHooks = {}): Promise<RunningPeer> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    if (hooks.onAccept) hooks.onAccept(socket);
    else acceptHandshake(socket, hooks.response ?? correctResponse, (key, rest) => serve(socket, key, hooks, rest), hooks.validateRequest ?? true);
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      resolve({
        url: `ws://127.0.0.1:${port}`,
        close: () =>
          new Promise<void>((done) => {
            for (const s of sockets) s.destroy();
            server.close(() => done());
          }),
      });
    });
  });
}

/**
 * Read the client's opening handshake on `socket` and answer it: an HTTP error for an invalid
 * request, else `response(key)`, after which `open(key, rest)` takes over the connection (`rest`:
 * the octets read together with the request head, part of the same read).
 */
export function acceptHandshake(
  socket: net.Socket,
  response: (key: string) => string,
  open: (key: string, rest: Buffer) => void,
  validate = true,
): void {
  let buf = Buffer.alloc(0);
  const onData = (chunk: Buffer) => {
    buf = Buffer.concat([buf, chunk]);
    const split = splitHead(buf);
    if (split.kind === 'incomplete') return;
    socket.off('data', onData);
    if (split.kind === 'too-large') {
      socket.end(buildHttpErrorResponse(400, 'request head too large'));
      return;
    }
    if (!validate) {
      // Whatever key came (or none): the accept value is computed from it as it is.
      const key = /\r\nSec-WebSocket-Key:[ \t]*([^\r]*)/i.exec(split.head.toString('latin1'))?.[1]?.trim() ?? '';
      socket.write(response(key), 'latin1');
      open(key, split.rest);
      return;
    }
    const check = checkClientRequest(headText(split.head), { port: socket.localPort!, secure: false, strictHostPort: false, versions: [13] });
    if (!check.ok) {
      socket.end(buildHttpErrorResponse(check.status, check.reason));
      return;
    }
    const key = check.request.key;
    socket.write(response(key), 'latin1');
    open(key, split.rest);
  };
  socket.on('data', onData);
}

function serve(socket: net.Socket, key: string, hooks: PeerHooks, rest: Buffer): void {
  const decoder = new FrameDecoder();
  const utf8Mode = hooks.utf8 ?? 'fail-fast';
  let frame: FrameHeader | null = null;
  let skipFrame = false;
  let control: Buffer[] = [];
  let message: { binary: boolean; chunks: Buffer[]; length: number; utf8: Utf8Validator | null } | null = null;
  let closeReceived = false;
  let failed = false;

  const conn: Conn = {
    socket,
    key,
    closeSent: false,
    send(opcode, payload = Buffer.alloc(0), fin = true) {
      if (socket.destroyed || !socket.writable) return;
      socket.write(encodeFrame({ opcode, payload, fin }));
    },
    sendClose(code, reason) {
      conn.send(Opcode.CLOSE, encodeClosePayload(code, reason === undefined ? null : Buffer.from(reason, 'utf8')));
      conn.closeSent = true;
    },
    fail(code, reason) {
      if (conn.closeSent) return;
      failed = true;
      conn.sendClose(code, reason);
      if (closeReceived) conn.end();
      // A client that never answers must not keep the socket forever.
      else if (hooks.closesTcp !== false) setTimeout(() => socket.destroy(), 2000).unref();
    },
    end() {
      if (hooks.closesTcp === false) return;
      socket.end();
    },
  };

  const protocolError = (code: number, why: string) => {
    if (hooks.onProtocolError) hooks.onProtocolError(conn, code, why);
    else conn.fail(code);
    if (!conn.closeSent) skipFrame = true;
  };

  const onHeader = (h: FrameHeader) => {
    frame = h;
    skipFrame = false;
    control = [];
    if (failed) return;
    let why: string | null = null;
    if (!h.masked) why = 'unmasked client frame';
    else if (h.rsv !== 0) why = 'RSV bits set without extension';
    else if (isControlOpcode(h.opcode)) {
      if (h.opcode > Opcode.PONG) why = `reserved opcode ${h.opcode}`;
      else if (!h.fin) why = 'fragmented control frame';
      else if (h.length > 125) why = 'control frame too long';
    } else if (h.opcode > Opcode.BINARY) why = `reserved opcode ${h.opcode}`;
    else if (h.lengthOver2p63) why = 'length over 2^63';
    else if (h.opcode === Opcode.CONTINUATION && message === null) why = 'continuation outside a message';
    else if (h.opcode !== Opcode.CONTINUATION && message !== null) why = 'new message inside a fragmented message';
    if (why !== null) return protocolError(1002, why);
    if (isControlOpcode(h.opcode)) return;
    if (message === null) {
      const binary = h.opcode === Opcode.BINARY;
      message = { binary, chunks: [], length: 0, utf8: !binary && utf8Mode === 'fail-fast' ? new Utf8Validator() : null };
    }
  };

  const onPayload = (data: Buffer) => {
    const h = frame!;
    if (skipFrame) return;
    if (isControlOpcode(h.opcode)) {
      control.push(Buffer.from(data));
      return;
    }
    if (failed) return;
    const m = message!;
    if (m.utf8 && !m.utf8.validate(data).valid) return protocolError(1007, 'invalid UTF-8');
    if (m.length + data.length > MAX_MESSAGE) return protocolError(1009, 'message too big');
    m.chunks.push(Buffer.from(data));
    m.length += data.length;
  };

  const onEnd = () => {
    const h = frame!;
    frame = null;
    if (skipFrame) return;
    if (h.opcode === Opcode.CLOSE) return onCloseFrame(Buffer.concat(control));
    if (failed) return;
    if (h.opcode === Opcode.PING) return conn.send(Opcode.PONG, Buffer.concat(control));
    if (h.opcode === Opcode.PONG) return;
    if (!h.fin || message === null) return;
    const m = message;
    message = null;
    const payload = Buffer.concat(m.chunks, m.length);
    if (!m.binary) {
      const valid =
        utf8Mode === 'never' ? true : utf8Mode === 'at-end' ? isValidUtf8(payload) : m.utf8!.complete;
      if (!valid) return protocolError(1007, 'invalid UTF-8');
    }
    if (hooks.onMessage) hooks.onMessage(conn, payload, m.binary);
    else conn.send(m.binary ? Opcode.BINARY : Opcode.TEXT, payload);
  };

  const onCloseFrame = (body: Buffer) => {
    if (closeReceived) return;
    closeReceived = true;
    if (conn.closeSent) {
      // The answer to our own Close: the closing handshake is complete.
      conn.end();
      return;
    }
    const code = body.length >= 2 ? body.readUInt16BE(0) : null;
    const reason = body.subarray(2);
    let reply: number | null = code;
    if (body.length === 1 || (code !== null && !closeCodeIsValid(code))) reply = 1002;
    else if (!isValidUtf8(reason)) reply = 1007;
    (hooks.onClose ?? answerClose)(conn, { code, reason, reply });
  };

  const onData = (chunk: Buffer) => {
    for (const ev of decoder.push(chunk)) {
      if (socket.destroyed) return;
      if (ev.type === 'header') onHeader(ev.header);
      else if (ev.type === 'payload') onPayload(ev.data);
      else onEnd();
    }
  };

  socket.on('data', onData);
  hooks.onOpen?.(conn);
  if (rest.length > 0) onData(rest);
}

/**
 * Write what `next` produces as fast as the socket takes it (respecting backpressure, yielding to
 * the event loop between chunks) until `next` returns null or the socket is gone.
 */
export function stream(socket: net.Socket, next: () => Buffer | null): void {
  const step = () => {
    if (socket.destroyed || !socket.writable) return;
    const chunk = next();
    if (chunk === null) return;
    if (socket.write(chunk)) setImmediate(step);
    else socket.once('drain', step);
  };
  step();
}

/** Deterministic pseudo-random octets (xorshift32), so a failing run can be reproduced. */
export function pseudoRandom(seed: number): (length: number) => Buffer {
  let x = seed >>> 0 || 1;
  return (length) => {
    const out = Buffer.allocUnsafe(length);
    for (let i = 0; i < length; i++) {
      x ^= x << 13;
      x >>>= 0;
      x ^= x >>> 17;
      x ^= x << 5;
      x >>>= 0;
      out[i] = x & 0xff;
    }
    return out;
  };
}

/** Run `body` with a peer started by `start`, closing the peer afterwards. */
export async function withPeer<T>(start: () => Promise<RunningPeer>, body: (peer: RunningPeer) => Promise<T>): Promise<T> {
  const peer = await start();
  try {
    return await body(peer);
  } finally {
    await peer.close();
  }
}
