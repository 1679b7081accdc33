// A tiny, correct WebSocket *client* on node:net (RFC 6455, client role) with hooks, so that each
// client in this folder can add exactly one defect, plus the Autobahn driver loop (docs/modes.md,
// Client driver loop) that testees run against fuzzingserver. The opening handshake has the header set and order
// of the websocketpp client of the seed reports (Host, Upgrade, Connection, Sec-WebSocket-Key,
// Sec-WebSocket-Version). Frames queued while handling one TCP read go out as one write (at the
// next event-loop turn), as a real client's output buffer does: an echo and a Close caused by the
// same read arrive at the fuzzer as one RX OCTETS entry (seed 003).
import net from 'node:net';
import { randomBytes } from 'node:crypto';
import { FrameDecoder, encodeFrame, isControlOpcode, Opcode, type FrameHeader } from '../../../src/protocol/frame.js';
import { acceptKey } from '../../../src/protocol/handshake.js';
import { splitHead } from '../../../src/protocol/http.js';
import { closeCodeIsValid, encodeClosePayload } from '../../../src/protocol/close.js';
import { isValidUtf8, Utf8Validator } from '../../../src/protocol/utf8.js';

/** The client's side of one connection, as the hooks see it. */
export interface ClientConn {
  readonly socket: net.Socket;
  /** This client sent a Close (as initiator or as reply). */
  closeSent: boolean;
  /** Queue one masked frame (ignored once the socket is gone). */
  send(opcode: number, payload?: Uint8Array, fin?: boolean): void;
  /** Send a Close; `code` null = empty payload. */
  sendClose(code: number | null, reason?: Uint8Array): void;
  /** Fail the connection (RFC 6455 §7.1.7): Close with `code`, then wait for the server to close TCP. */
  fail(code: number): void;
  /** Drop TCP at once (after writing what is queued). */
  drop(): void;
}

/** The server's Close, and the code a correct client answers it with. */
export interface CloseInfo {
  code: number | null;
  reason: Buffer;
  /** Echo of the code, 1002 for an invalid code or a 1-octet body, 1007 for a non-UTF-8 reason, null for an empty Close. */
  reply: number | null;
}

export interface ClientHooks {
  /** Right after the handshake response was accepted. */
  onOpen?(conn: ClientConn): void;
  /** A complete data message (default: echo it with the same type). */
  onMessage?(conn: ClientConn, payload: Buffer, binary: boolean): void;
  /** The server's Close while this client has not sent one (default: answer with `info.reply`). */
  onClose?(conn: ClientConn, info: CloseInfo): void;
  /** False: text payloads and close reasons are never checked for UTF-8. */
  validateUtf8?: boolean;
  /** True: wherever this client would send a Close, it drops TCP instead. */
  dropInsteadOfClose?: boolean;
  /** True: when it fails the connection it sends its Close and drops TCP at once, without waiting for the server. */
  dropAfterFailing?: boolean;
  /**
   * True: each TCP read is parsed as a whole before its echoes are queued; when the read held a
   * violation (or a Close), its echoes are dropped and only the Close goes out (as clients on
   * asyncio event loops do). Pongs are queued as they are parsed.
   */
  batchReads?: boolean;
  /** True: any response head opens the connection (no status, Upgrade, Connection, Accept, extension or subprotocol check). */
  acceptAnyResponse?: boolean;
}

export interface ClientRunOptions {
  /** The whole request head (default: the websocketpp-shaped request for `resource`). */
  request?(parts: { resource: string; hostPort: string; key: string }): string;
  /** Give up (destroy TCP) after this many ms; the fuzzer should always have closed before. */
  maxMs?: number;
}

/** What one connection saw. */
export interface ClientRun {
  /** HTTP status of the handshake response (null: none arrived). */
  status: number | null;
  /** The response head (for 101) or everything the server sent (for an HTTP error). */
  response: string;
  messages: Array<{ payload: Buffer; binary: boolean }>;
  /** Bodies of the Close frames received. */
  closes: Buffer[];
  /** Headers of all frames received, in order. */
  frames: FrameHeader[];
  /** ms from TCP connect to the server's first Close frame (null: none). */
  closeAfterMs: number | null;
  /** The connection lasted until the safety limit and was destroyed by this client. */
  timedOut: boolean;
}

export function defaultRequest({ resource, hostPort, key }: { resource: string; hostPort: string; key: string }): string {
  return (
    `GET ${resource} HTTP/1.1\r\nHost: ${hostPort}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
    `Sec-WebSocket-Key: ${key}\r\nSec-WebSocket-Version: 13\r\n\r\n`
  );
}

/** Open `url` (ws://host:port/path?query), run the client until TCP is gone. */
export function runClient(url: string, hooks: ClientHooks = {}, options: ClientRunOptions = {}): Promise<ClientRun> {
  const u = new URL(url);
  const port = Number(u.port || 80);
  const resource = (u.pathname || '/') + u.search;
  const key = randomBytes(16).toString('base64');
  const request = (options.request ?? defaultRequest)({ resource, hostPort: `${u.hostname}:${port}`, key });
  const run: ClientRun = { status: null, response: '', messages: [], closes: [], frames: [], closeAfterMs: null, timedOut: false };
  const socket = net.connect({ host: u.hostname, port });
  socket.setNoDelay(true);
  const startedAt = performance.now();
  return new Promise((resolve) => {
    const limit = setTimeout(() => {
      run.timedOut = true;
      socket.destroy();
    }, options.maxMs ?? 15_000);
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearTimeout(limit);
      resolve(run);
    });
    socket.on('connect', () => socket.write(request, 'latin1'));
    let head = Buffer.alloc(0);
    let upgraded = false;
    let frames: ((chunk: Buffer) => void) | null = null;
    socket.on('data', (chunk: Buffer) => {
      if (upgraded) return frames!(chunk);
      head = Buffer.concat([head, chunk]);
      const split = splitHead(head);
      if (split.kind !== 'complete') return;
      const text = split.head.toString('latin1');
      run.status = Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? NaN);
      if (run.status !== 101 && !hooks.acceptAnyResponse) {
        // An HTTP error: keep reading until the server closes.
        run.response = head.toString('latin1');
        return;
      }
      run.response = text;
      const accept = /\r\nSec-WebSocket-Accept: *([^\r]*)\r\n/i.exec(text)?.[1];
      if (accept !== acceptKey(key) && !hooks.acceptAnyResponse) {
        socket.destroy();
        return;
      }
      upgraded = true;
      frames = serve(socket, hooks, run, startedAt);
      if (split.rest.length > 0) frames(split.rest);
    });
    socket.on('end', () => {
      if (!upgraded && run.status !== 101) run.response = head.toString('latin1');
    });
  });
}

/** The WebSocket client after the handshake; returns the handler for incoming octets. */
function serve(socket: net.Socket, hooks: ClientHooks, run: ClientRun, startedAt: number): (chunk: Buffer) => void {
  const decoder = new FrameDecoder();
  const validate = hooks.validateUtf8 ?? true;
  let queued: Buffer[] = [];
  let flushScheduled = false;
  let frame: FrameHeader | null = null;
  let skipFrame = false;
  let control: Buffer[] = [];
  let message: { binary: boolean; chunks: Buffer[]; utf8: Utf8Validator | null } | null = null;
  let closeReceived = false;
  let failed = false;
  /** Echoes of the read being parsed (batchReads only). */
  let held: Array<{ opcode: number; payload: Buffer }> | null = null;

  const flush = () => {
    flushScheduled = false;
    if (queued.length === 0 || socket.destroyed || !socket.writable) return;
    socket.write(Buffer.concat(queued));
    queued = [];
  };

  const conn: ClientConn = {
    socket,
    closeSent: false,
    send(opcode, payload = Buffer.alloc(0), fin = true) {
      if (socket.destroyed) return;
      queued.push(encodeFrame({ opcode, payload, fin, mask: randomBytes(4) }));
      if (!flushScheduled) {
        flushScheduled = true;
        setImmediate(flush);
      }
    },
    sendClose(code, reason) {
      if (conn.closeSent) return;
      if (hooks.dropInsteadOfClose) return conn.drop();
      conn.send(Opcode.CLOSE, encodeClosePayload(code, reason ?? null));
      conn.closeSent = true;
    },
    fail(code) {
      if (conn.closeSent) return;
      failed = true;
      conn.sendClose(code);
      if (hooks.dropAfterFailing) conn.drop();
    },
    drop() {
      flush();
      socket.destroy();
    },
  };

  const protocolError = (code: number) => {
    conn.fail(code);
    skipFrame = true;
  };

  const onHeader = (h: FrameHeader) => {
    frame = h;
    run.frames.push(h);
    skipFrame = false;
    control = [];
    if (failed) return;
    let bad = h.masked || h.rsv !== 0;
    if (isControlOpcode(h.opcode)) bad ||= h.opcode > Opcode.PONG || !h.fin || h.length > 125;
    else
      bad ||=
        h.opcode > Opcode.BINARY ||
        (h.opcode === Opcode.CONTINUATION && message === null) ||
        (h.opcode !== Opcode.CONTINUATION && message !== null);
    if (bad) return protocolError(1002);
    if (!isControlOpcode(h.opcode) && message === null) {
      const binary = h.opcode === Opcode.BINARY;
      message = { binary, chunks: [], utf8: !binary && validate ? new Utf8Validator() : null };
    }
  };

  const onPayload = (data: Buffer) => {
    const h = frame!;
    if (skipFrame) return;
    if (isControlOpcode(h.opcode)) return void control.push(Buffer.from(data));
    if (failed) return;
    const m = message!;
    if (m.utf8 && !m.utf8.validate(data).valid) return protocolError(1007);
    m.chunks.push(Buffer.from(data));
  };

  const onEnd = () => {
    const h = frame!;
    frame = null;
    if (skipFrame) return;
    if (h.opcode === Opcode.CLOSE) return onCloseFrame(Buffer.concat(control));
    if (failed || closeReceived) return;
    if (h.opcode === Opcode.PING) {
      if (!conn.closeSent) conn.send(Opcode.PONG, Buffer.concat(control));
      return;
    }
    if (h.opcode === Opcode.PONG || !h.fin || message === null) return;
    const m = message;
    message = null;
    if (m.utf8 && !m.utf8.complete) return protocolError(1007);
    const payload = Buffer.concat(m.chunks);
    run.messages.push({ payload, binary: m.binary });
    if (conn.closeSent) return;
    const opcode = m.binary ? Opcode.BINARY : Opcode.TEXT;
    if (hooks.onMessage) hooks.onMessage(conn, payload, m.binary);
    else if (held) held.push({ opcode, payload });
    else conn.send(opcode, payload);
  };

  const onCloseFrame = (body: Buffer) => {
    run.closes.push(body);
    run.closeAfterMs ??= performance.now() - startedAt;
    if (closeReceived) return;
    closeReceived = true;
    // Whoever sent first, the server closes TCP now (RFC 6455 §7.1.1); this client waits for it.
    if (conn.closeSent) return;
    const code = body.length >= 2 ? body.readUInt16BE(0) : null;
    const reason = body.subarray(2);
    let reply: number | null = code;
    if (body.length === 1 || (code !== null && !closeCodeIsValid(code))) reply = 1002;
    else if (validate && !isValidUtf8(reason)) reply = 1007;
    if (hooks.onClose) hooks.onClose(conn, { code, reason, reply });
    else conn.sendClose(reply);
  };

  hooks.onOpen?.(conn);
  const parse = (chunk: Buffer) => {
    for (const ev of decoder.push(chunk)) {
      if (socket.destroyed) return;
      if (ev.type === 'header') onHeader(ev.header);
      else if (ev.type === 'payload') onPayload(ev.data);
      else onEnd();
    }
  };
  if (!hooks.batchReads) return parse;
  return (chunk: Buffer) => {
    held = [];
    parse(chunk);
    const echoes = held;
    held = null;
    if (!conn.closeSent) for (const e of echoes) conn.send(e.opcode, e.payload);
  };
}

/**
 * The driver loop (docs/modes.md, Client driver loop) with `hooks` applied to every connection:
 * getCaseCount (only for 'all'), runCase for each N, then updateReports.
 */
export async function driverLoop(baseUrl: string, cases: number[] | 'all', agent: string, hooks: ClientHooks = {}): Promise<void> {
  let numbers: number[];
  if (cases === 'all') {
    const count = await runClient(`${baseUrl}/getCaseCount`, hooks);
    const n = Number(count.messages[0]?.payload.toString('utf8'));
    if (!Number.isInteger(n)) throw new Error(`getCaseCount answered ${count.status}, ${count.messages.length} messages`);
    numbers = Array.from({ length: n }, (_, i) => i + 1);
  } else {
    numbers = cases;
  }
  const a = encodeURIComponent(agent);
  for (const n of numbers) await runClient(`${baseUrl}/runCase?case=${n}&agent=${a}`, hooks);
  await runClient(`${baseUrl}/updateReports?agent=${a}`, hooks);
}
