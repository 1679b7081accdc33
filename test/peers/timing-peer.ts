// An echo server on node:net (RFC 6455, server role) with one switchable defect, for the peers whose
// verdicts depend on how the fuzzer's frames arrive on the wire and on how it fails connections
// (test/peers/batch-reader.ts, close-then-drop.ts, no-utf8-check.ts; the original suite's verdicts
// against them are in test/fixtures/golden/).
//
// Apart from its defect it is a correct server of the plainest kind, and in these respects it
// differs from the hooks of ./base.ts, which is why it is a connection of its own:
// - every complete message is echoed as one frame; Pings are answered at once, Pongs ignored;
// - header checks in this order: 64-bit length with the top bit set (1002), length over 64 MiB
//   (1009), RSV bits (1002), reserved opcode (1002), unmasked frame (1002), fragmented or over-long
//   control frame (1002), continuation outside a message / data frame inside one (1002), message
//   over 64 MiB (1009); text is validated as it arrives (1007, RFC 6455 §8.1);
// - a client Close is answered with its own code (no reason), an empty one with an empty Close; a
//   1-octet body or an invalid code fails with 1002, a non-UTF-8 reason with 1007;
// - once it has sent a Close (failing, or answering) it closes TCP at once, as the server that
//   closes first (RFC 6455 §7.1.1), reads nothing more, and destroys the socket after 5 s if the
//   client never closes its side.
//
// Run as its own process (the defect depends on reads, so the peer needs its own event loop):
// startPeerProcess('peers/<defect>.js') in test/support/processes.ts; prints "listening <port>".
import type net from 'node:net';
import { FrameDecoder, encodeFrame, isControlOpcode, Opcode, type FrameHeader } from '../../src/protocol/frame.js';
import { closeCodeIsValid, encodeClosePayload } from '../../src/protocol/close.js';
import { isValidUtf8, Utf8Validator } from '../../src/protocol/utf8.js';
import { acceptHandshake, correctResponse, startPeer } from './base.js';

export type TimingDefect =
  /** Parses everything that arrived in one read before echoing; when that read held a violation,
   * its echoes are dropped and only the Close goes out (as servers on asyncio event loops do). */
  | 'batch-reader'
  /** When it fails the connection it sends its Close and destroys TCP at once. */
  | 'close-then-drop'
  /** Never validates UTF-8 (text messages and close reasons): echoes invalid text. */
  | 'no-utf8-check';

const MAX_MESSAGE = 64 * 1024 * 1024;
/** A client that never closes its side of TCP after this server's Close is dropped after this. */
export const CLOSE_GRACE_MS = 5000;

interface Message {
  opcode: number;
  chunks: Buffer[];
  size: number;
  utf8: Utf8Validator | null;
}

class TimingConnection {
  private readonly decoder = new FrameDecoder();
  /** A Close went out: nothing else is sent and input is ignored from then on. */
  private closeSent = false;
  private dead = false;
  private frame: FrameHeader | null = null;
  private control: Buffer[] = [];
  private message: Message | null = null;
  /** Echoes held back while one read is parsed (batch-reader only). */
  private batch: Buffer[] | null = null;
  private killTimer: NodeJS.Timeout | null = null;

  constructor(
    private readonly socket: net.Socket,
    private readonly defect: TimingDefect,
  ) {
    socket.setNoDelay(true);
    socket.on('close', () => {
      this.dead = true;
      if (this.killTimer) clearTimeout(this.killTimer);
    });
  }

  /** One read from the socket. */
  onRead(chunk: Buffer): void {
    if (this.closeSent || this.dead) return;
    if (this.defect !== 'batch-reader') return this.parse(chunk);
    this.batch = [];
    this.parse(chunk);
    const echoes = this.batch;
    this.batch = null;
    if (!this.closeSent) for (const echo of echoes) this.write(echo);
  }

  private parse(chunk: Buffer): void {
    for (const ev of this.decoder.push(chunk)) {
      if (this.closeSent || this.dead) return;
      if (ev.type === 'header') this.onHeader(ev.header);
      else if (ev.type === 'payload') this.onPayload(ev.data);
      else this.onFrameEnd();
    }
  }

  private onHeader(h: FrameHeader): void {
    this.frame = h;
    this.control = [];
    if (h.lengthOver2p63) return this.fail(1002, 'Invalid payload length');
    if (h.length > MAX_MESSAGE) return this.fail(1009, 'Message too big');
    if (h.rsv !== 0) return this.fail(1002, 'RSV bits set without extension');
    const control = isControlOpcode(h.opcode);
    if (control ? h.opcode > Opcode.PONG : h.opcode > Opcode.BINARY) return this.fail(1002, `Reserved opcode ${h.opcode}`);
    if (!h.masked) return this.fail(1002, 'Client frame not masked');
    if (control) {
      if (!h.fin) return this.fail(1002, 'Fragmented control frame');
      if (h.length > 125) return this.fail(1002, 'Control frame payload too long');
      return;
    }
    if (h.opcode === Opcode.CONTINUATION) {
      if (!this.message) return this.fail(1002, 'Continuation frame without message');
    } else {
      if (this.message) return this.fail(1002, 'New data frame inside fragmented message');
      const validate = h.opcode === Opcode.TEXT && this.defect !== 'no-utf8-check';
      this.message = { opcode: h.opcode, chunks: [], size: 0, utf8: validate ? new Utf8Validator() : null };
    }
    if (this.message.size + h.length > MAX_MESSAGE) return this.fail(1009, 'Message too big');
  }

  private onPayload(data: Buffer): void {
    if (isControlOpcode(this.frame!.opcode)) {
      this.control.push(Buffer.from(data));
      return;
    }
    const m = this.message!;
    m.chunks.push(Buffer.from(data));
    m.size += data.length;
    if (m.utf8 && !m.utf8.validate(data).valid) this.fail(1007, 'Invalid UTF-8');
  }

  private onFrameEnd(): void {
    const h = this.frame!;
    this.frame = null;
    if (isControlOpcode(h.opcode)) return this.onControl(h.opcode, Buffer.concat(this.control));
    if (h.fin) this.onMessage();
  }

  private onMessage(): void {
    const m = this.message!;
    this.message = null;
    if (m.utf8 && !m.utf8.complete) return this.fail(1007, 'Invalid UTF-8');
    const echo = encodeFrame({ opcode: m.opcode, payload: Buffer.concat(m.chunks, m.size) });
    if (this.batch) this.batch.push(echo);
    else this.write(echo);
  }

  private onControl(opcode: number, payload: Buffer): void {
    // Pongs go out at once, also in batch-reader mode: only echoes wait for the end of the read.
    if (opcode === Opcode.PING) return this.write(encodeFrame({ opcode: Opcode.PONG, payload }));
    if (opcode === Opcode.PONG) return;
    if (payload.length === 0) return this.closeAndEnd(Buffer.alloc(0));
    if (payload.length === 1) return this.fail(1002, 'Close payload of 1 byte');
    const code = payload.readUInt16BE(0);
    if (!closeCodeIsValid(code, true)) return this.fail(1002, `Invalid close code ${code}`);
    if (this.defect !== 'no-utf8-check' && !isValidUtf8(payload.subarray(2))) {
      return this.fail(1007, 'Invalid UTF-8 in close reason');
    }
    this.closeAndEnd(encodeClosePayload(code));
  }

  private write(frame: Buffer): void {
    if (!this.dead && !this.socket.destroyed && this.socket.writable) this.socket.write(frame);
  }

  /** Send a Close (once) and close TCP right after it. */
  private closeAndEnd(body: Buffer): void {
    if (this.closeSent) return;
    this.closeSent = true;
    this.write(encodeFrame({ opcode: Opcode.CLOSE, payload: body }));
    if (!this.dead) this.socket.end();
    this.killTimer = setTimeout(() => this.socket.destroy(), CLOSE_GRACE_MS);
  }

  /** Fail the connection (RFC 6455 §7.1.7). */
  private fail(code: number, reason: string): void {
    const body = encodeClosePayload(code, Buffer.from(reason, 'utf8'));
    if (this.defect !== 'close-then-drop') return this.closeAndEnd(body);
    this.write(encodeFrame({ opcode: Opcode.CLOSE, payload: body }));
    this.closeSent = true;
    this.dead = true;
    this.socket.destroy();
  }
}

/** Serve the peer with `defect` on 127.0.0.1, port 0, and print "listening <port>". */
export async function serveTimingPeer(defect: TimingDefect): Promise<void> {
  const peer = await startPeer({
    onAccept(socket) {
      acceptHandshake(socket, correctResponse, (_key, rest) => {
        const conn = new TimingConnection(socket, defect);
        socket.on('data', (chunk: Buffer) => conn.onRead(chunk));
        if (rest.length > 0) conn.onRead(rest);
      });
    },
  });
  process.stdout.write(`listening ${new URL(peer.url).port}\n`);
  process.on('SIGTERM', () => process.exit(0));
}
