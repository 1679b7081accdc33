// The fuzzer's receive rules, sans-I/O: frame header checks in the original's order, message
// assembly with fail-fast UTF-8 validation and permessage-deflate, the wire log's RF entries and the
// incoming statistics. Violations go to the host's fail(); complete messages, pings, pongs and
// Close frames to its handlers (docs/engine.md, Receiving).
import { FrameDecoder, isControlOpcode, Opcode, type FrameHeader } from '../protocol/frame.js';
import { Utf8Validator } from '../protocol/utf8.js';
import { CloseCode } from '../protocol/close.js';
import { MessageInflater, InflateError } from '../protocol/deflate.js';
import { MESSAGE_SAFETY_LIMIT, type FuzzerOptions } from './options.js';
import type { ConnectionState } from './case.js';
import type { CaseRecord } from './record.js';
import { KnownEchoes, type ExpectedEcho } from './known-echo.js';
import type { SharedCompression } from './shared-compression.js';

/** Control-frame payload kept for processing and logging (legal ones have at most 125 octets). */
const CONTROL_PAYLOAD_KEEP = 64 * 1024;
/**
 * Largest inflated size of one compressed message: 32 times the largest message a compression case
 * sends (131,072 octets). A deflate bomb fails the connection with 1009 here, so inflating costs at
 * most a few MiB per connection whatever the number of cases running at once.
 */
const INFLATED_MESSAGE_LIMIT = 4 * 1024 * 1024;
/** Octets of a frame's payload the wire log shows. */
const LOGGED_OCTETS = 64;

export interface ReceiveHost {
  readonly state: ConnectionState;
  /** Fail the connection (again, if it already was: the engine decides what that means). */
  fail(code: number, reason: string): void;
  onMessage(payload: Buffer, binary: boolean): void;
  onPing(payload: Buffer): void;
  onPong(payload: Buffer): void;
  onClose(payload: Buffer): void;
}

interface CurrentMessage {
  opcode: number;
  compressed: boolean;
  chunks: Buffer[];
  length: number;
  utf8: Utf8Validator | null;
  /** Invalid UTF-8 was met in this message (it is met again when the message ends). */
  utf8Failed: boolean;
  /** A known echo its octets equal so far, and those octets, not inflated yet (src/fuzz/known-echo.ts). */
  known: { echo: Buffer; offset: number; held: Buffer[] } | null;
  /** Its compressed octets, kept to record it as a known echo. */
  octets: Buffer[] | null;
}

export class Receiver {
  private readonly decoder = new FrameDecoder();
  private frame: FrameHeader | null = null;
  /** Octets of the current frame taken in (data: accumulated; control: kept). */
  private frameLength = 0;
  /** First ≤64 octets of the current frame's (accumulated) payload, for the wire log. */
  private frameHead: Buffer[] = [];
  private frameHeadLength = 0;
  private controlPayload: Buffer[] = [];
  private message: CurrentMessage | null = null;
  private insideMessage = false;
  /** Set when permessage-deflate is agreed: RSV1 marks compressed messages. */
  private inflater: MessageInflater | null = null;
  /** Compressed messages shared with other cases; with deflate, known echoes come from it. */
  shared: SharedCompression | null = null;
  private echoes: KnownEchoes | null = null;

  constructor(
    private readonly host: ReceiveHost,
    private readonly opts: FuzzerOptions,
    private readonly isServer: boolean,
    private readonly record: CaseRecord,
  ) {}

  /** permessage-deflate was agreed: the peer's messages inflate with this window and context rule. */
  enableDeflate(peerWindowBits: number, peerNoContextTakeover: boolean): void {
    this.inflater = new MessageInflater(peerWindowBits, peerNoContextTakeover, this.messageLimit(true));
    if (this.shared) this.echoes = new KnownEchoes(this.shared, `w${peerWindowBits}-${peerNoContextTakeover ? 'reset' : 'takeover'}`);
  }

  /** The case expects the next message to be the echo of a shared sequence's message. */
  expectEcho(expected: ExpectedEcho): void {
    this.echoes?.expect(expected);
  }

  close(): void {
    this.inflater?.close();
  }

  /** Octets of the open connection, in order. */
  push(chunk: Buffer): void {
    for (const ev of this.decoder.push(chunk)) {
      if (this.host.state === 'CLOSED') return;
      if (ev.type === 'header') this.onFrameHeader(ev.header);
      else if (ev.type === 'payload') this.onFramePayload(ev.data);
      else this.onFrameEnd();
    }
  }

  /** Header checks in the original's order; each violation fails the connection with 1002. */
  private headerViolation(h: FrameHeader): string | null {
    const deflate = this.inflater !== null;
    if (h.rsv !== 0 && !(deflate && h.rsv === 4)) return `RSV = ${h.rsv} and no extension negotiated`;
    if (this.isServer && !h.masked && this.opts.requireMaskedClientFrames) return 'unmasked client-to-server frame';
    if (!this.isServer && h.masked && !this.opts.acceptMaskedServerFrames) return 'masked server-to-client frame';
    if (isControlOpcode(h.opcode)) {
      if (!h.fin) return 'fragmented control frame';
      if (h.length > 125 || h.lengthOver2p63) return 'control frame with payload length > 125 octets';
      if (h.opcode > Opcode.PONG) return `control frame using reserved opcode ${h.opcode}`;
      if (h.opcode === Opcode.CLOSE && h.length === 1) return 'received close control frame with payload len 1';
      if (deflate && h.rsv === 4) return 'received compressed control frame [permessage-deflate]';
    } else {
      if (h.opcode > Opcode.BINARY) return `data frame using reserved opcode ${h.opcode}`;
      if (h.opcode === Opcode.CONTINUATION && !this.insideMessage) {
        return 'received continuation data frame outside fragmented message';
      }
      if (h.opcode !== Opcode.CONTINUATION && this.insideMessage) {
        return 'received non-continuation data frame while inside fragmented message';
      }
      if (deflate && h.opcode === Opcode.CONTINUATION && h.rsv === 4) {
        return 'received continuation data frame with compress bit set [permessage-deflate]';
      }
    }
    if (h.lengthOver2p63) return 'invalid data frame length (>2^63)';
    if (h.nonMinimalLength) return 'invalid data frame length (not using minimal length encoding)';
    return null;
  }

  private onFrameHeader(h: FrameHeader): void {
    this.frame = h;
    this.frameLength = 0;
    this.frameHead = [];
    this.frameHeadLength = 0;
    this.controlPayload = [];
    const violation = this.headerViolation(h);
    if (violation !== null) {
      this.host.fail(CloseCode.PROTOCOL_ERROR, violation);
      if (this.host.state === 'CLOSED') return;
    }
    const frameLimit = this.opts.maxFramePayloadSize;
    if (frameLimit > 0 && h.length > frameLimit && !this.record.failedByMe) {
      this.host.fail(CloseCode.POLICY_VIOLATION, `frame exceeds payload limit of ${frameLimit} octets`);
      if (this.host.state === 'CLOSED') return;
    }
    if (isControlOpcode(h.opcode)) return;
    // Data frame: a non-continuation opcode starts a message (even a reserved one).
    if (h.opcode !== Opcode.CONTINUATION || this.message === null) {
      const opcode = h.opcode === Opcode.CONTINUATION ? Opcode.BINARY : h.opcode;
      const compressed = this.inflater !== null && (h.rsv & 4) !== 0;
      this.message = {
        opcode,
        compressed,
        chunks: [],
        length: 0,
        utf8: opcode === Opcode.TEXT && this.opts.utf8validateIncoming ? new Utf8Validator() : null,
        utf8Failed: false,
        known: null,
        octets: null,
      };
      if (compressed) {
        this.inflater!.beginMessage();
        // Known echoes only while the wire log is off: it would show each frame's inflated octets.
        const plan = this.echoes && !this.record.wirelog.enabled && !this.record.failedByMe ? this.echoes.begin() : null;
        if (plan?.kind === 'compare') this.message.known = { echo: plan.echo, offset: 0, held: [] };
        else if (plan?.kind === 'record') this.message.octets = [];
      }
    }
    this.insideMessage = !h.fin;
    this.record.traffic.incomingFrames++;
  }

  private keepFrameHead(data: Buffer): void {
    if (this.frameHeadLength < LOGGED_OCTETS) {
      this.frameHead.push(data.subarray(0, LOGGED_OCTETS - this.frameHeadLength));
      this.frameHeadLength += Math.min(data.length, LOGGED_OCTETS - this.frameHeadLength);
    }
  }

  private onFramePayload(data: Buffer): void {
    const h = this.frame!;
    if (isControlOpcode(h.opcode)) {
      const room = CONTROL_PAYLOAD_KEEP - this.frameLength;
      if (room > 0) {
        const kept = data.subarray(0, room);
        this.controlPayload.push(kept);
        this.keepFrameHead(kept);
        this.frameLength += kept.length;
      }
      return;
    }
    this.record.traffic.incomingWebSocket += data.length;
    // Once we failed the connection, data payload is no longer taken in (the original's behaviour:
    // its wire log shows such frames with no payload).
    if (this.record.failedByMe) return;
    const msg = this.message!;
    let out = data;
    if (msg.compressed) {
      const known = msg.known;
      if (known !== null) {
        const end = known.offset + data.length;
        if (end <= known.echo.length && data.equals(known.echo.subarray(known.offset, end))) {
          known.held.push(data);
          known.offset = end;
          return;
        }
        // From the first octet that differs on, the message is inflated as usual.
        msg.known = null;
        if (!this.inflateHeld(msg, known.held)) return;
      }
      msg.octets?.push(data);
      try {
        out = this.inflater!.push(data);
      } catch (err) {
        this.onInflateError(err);
        return;
      }
    }
    this.takeMessageData(msg, out);
  }

  /** Inflate the octets held while they equalled a known echo; false if that failed the connection. */
  private inflateHeld(msg: CurrentMessage, held: Buffer[]): boolean {
    for (const chunk of held) {
      try {
        this.takeMessageData(msg, this.inflater!.push(chunk));
      } catch (err) {
        this.onInflateError(err);
        return false;
      }
      if (this.record.failedByMe) return false;
    }
    return true;
  }

  private takeMessageData(msg: CurrentMessage, out: Buffer): void {
    if (out.length === 0) return;
    this.record.traffic.incomingApp += out.length;
    if (msg.utf8) {
      const r = msg.utf8.validate(out);
      if (!r.valid) {
        msg.utf8Failed = true;
        this.host.fail(
          CloseCode.INVALID_PAYLOAD,
          `encountered invalid UTF-8 while processing text message at payload octet index ${r.errorIndex}`,
        );
        return;
      }
    }
    const limit = this.messageLimit(msg.compressed);
    if (msg.length + out.length > limit) {
      this.host.fail(CloseCode.MESSAGE_TOO_BIG, `message exceeds payload limit of ${limit} octets`);
      return;
    }
    msg.chunks.push(out);
    msg.length += out.length;
    this.frameLength += out.length;
    this.keepFrameHead(out);
  }

  /** The most octets one (inflated, when `compressed`) message may have. */
  private messageLimit(compressed = false): number {
    const configured = this.opts.maxMessagePayloadSize;
    const safety = compressed ? INFLATED_MESSAGE_LIMIT : MESSAGE_SAFETY_LIMIT;
    return configured > 0 ? Math.min(configured, safety) : safety;
  }

  private onInflateError(err: unknown): void {
    if (err instanceof InflateError && err.tooLarge) {
      this.host.fail(CloseCode.MESSAGE_TOO_BIG, err.message);
      return;
    }
    // The original drops TCP on an inflate error; wsfuzz fails the connection with 1007 (the
    // payload is invalid), which ends the same way for the main verdict.
    this.host.fail(CloseCode.INVALID_PAYLOAD, `permessage-deflate: ${err instanceof Error ? err.message : String(err)}`);
  }

  private onFrameEnd(): void {
    const h = this.frame!;
    this.frame = null;
    this.record.wirelog.rxFrame(this.frameLength, Buffer.concat(this.frameHead), h.opcode, h.fin, h.rsv, h.masked, h.mask);
    if (isControlOpcode(h.opcode)) {
      const payload = Buffer.concat(this.controlPayload);
      this.controlPayload = [];
      if (h.opcode === Opcode.CLOSE) this.host.onClose(payload);
      else if (h.opcode === Opcode.PING) this.host.onPing(payload);
      else if (h.opcode === Opcode.PONG) this.host.onPong(payload);
      return;
    }
    if (!h.fin || this.message === null) return;
    const msg = this.message;
    this.message = null;
    this.insideMessage = false;
    this.record.traffic.incomingMessages++;
    if (msg.compressed && !this.record.failedByMe) {
      const known = msg.known;
      msg.known = null;
      if (known !== null) {
        if (known.offset === known.echo.length) {
          // The known echo, octet for octet: it inflates to the message the case expects.
          const payload = this.echoes!.matched();
          this.inflater!.skipMessage(payload);
          this.record.traffic.incomingApp += payload.length;
          this.host.onMessage(payload, msg.opcode !== Opcode.TEXT);
          return;
        }
        if (!this.inflateHeld(msg, known.held)) return;
      }
      try {
        this.takeMessageData(msg, this.inflater!.endMessage());
      } catch (err) {
        this.onInflateError(err);
        return;
      }
      if (this.record.failedByMe) return;
    }
    // The end of a text message is checked even after we failed the connection: invalid UTF-8 met
    // in the payload, or a code point cut by the payload no longer taken in, is a violation here
    // too; while CLOSING that second violation drops TCP (docs/engine.md, Failing and closing).
    if (msg.utf8 && (msg.utf8Failed || !msg.utf8.complete)) {
      this.host.fail(
        CloseCode.INVALID_PAYLOAD,
        `UTF-8 text message payload ended within Unicode code point at payload octet index ${msg.length}`,
      );
      return;
    }
    if (this.record.failedByMe) return;
    const payload = msg.chunks.length === 1 ? msg.chunks[0]! : Buffer.concat(msg.chunks, msg.length);
    this.echoes?.delivered(payload, msg.compressed, msg.octets);
    this.host.onMessage(payload, msg.opcode !== Opcode.TEXT);
  }
}
