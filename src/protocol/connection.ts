// A conforming RFC 6455 + RFC 7692 endpoint as a sans-I/O state machine, for either role.
//
// The I/O wrapper owns the socket and the timers; this class owns the protocol:
//   receiveData(bytes) / receiveEof()      what arrived from the peer
//   nextEvent() / eventsReceived()          what it meant (messages, pings, the peer's Close, failures)
//   sendText/sendBinary/sendPing/sendPong/close(code, reason)
//   dataToSend()                            the octets to write, in order
//   shouldCloseTcp / needsCloseTimer        when to end TCP, and when a close timer must run
//   closeTimeoutExpired()                   that timer fired
//
// Input is interpreted lazily, one event per nextEvent() call, so that whatever the application
// sends in reaction to an event is queued before anything caused by later input. An echo of a
// message is therefore written before the Close that a protocol error further on in the same TCP
// segment triggers (what Autobahn's 3.2, 4.1.3 and 5.15 expect).
//
// Strict and fail-fast: every violation fails the connection at once (RFC 6455 §7.1.7) with
// 1002 (framing), 1007 (invalid UTF-8, checked as each payload chunk arrives) or 1009 (size).
import { randomFillSync } from 'node:crypto';
import { CloseCode, closeCodeIsValid, encodeClosePayload, parseClosePayload } from './close.js';
import { MessageDeflater, MessageInflater, InflateError } from './deflate.js';
import { PERMESSAGE_DEFLATE, parseDeflateOffer, parseExtensions, type DeflateAgreement } from './extensions.js';
import { FrameDecoder, Opcode, encodeFrameHeader, isControlOpcode, type FrameEvent, type FrameHeader } from './frame.js';
import { maskInPlace } from './mask.js';
import { Utf8Validator, isValidUtf8, truncateUtf8 } from './utf8.js';

export type Role = 'server' | 'client';

/**
 * open: messages flow. closing: we sent a Close and wait for the peer's (a close timer should run).
 * closed: the closing handshake is over or the connection failed; nothing more is sent or read.
 */
export type ConnectionState = 'open' | 'closing' | 'closed';

/** Largest message (after decompression) accepted by default. */
export const DEFAULT_MAX_MESSAGE_SIZE = 64 * 1024 * 1024;
/** RFC 6455 §5.5: control frame payloads are at most 125 octets; a close reason leaves 123. */
const MAX_CONTROL_PAYLOAD = 125;
const MAX_CLOSE_REASON = 123;
/** The reason of a Close we send on failing: at most 123 octets, cut on a UTF-8 sequence boundary. */
export function closeReasonOctets(reason: string): Buffer {
  return truncateUtf8(Buffer.from(reason, 'utf8'), MAX_CLOSE_REASON);
}

/** Frames up to this payload size are written as one buffer; larger payloads are not copied. */
const COALESCE_LIMIT = 16 * 1024;
/** Inflate with the largest window: it decodes any smaller window the peer may use. */
const INFLATE_WINDOW_BITS = 15;
const DEFAULT_WINDOW_BITS = 15;

const EMPTY = Buffer.alloc(0);

export type ConnectionEvent =
  /** A complete text message; `data` is valid UTF-8. */
  | { type: 'text'; data: Buffer }
  | { type: 'binary'; data: Buffer }
  /** Already answered with a Pong (only while open). */
  | { type: 'ping'; data: Buffer }
  | { type: 'pong'; data: Buffer }
  /** The peer's (valid) Close frame; our reply, if one was due, is already queued. */
  | { type: 'close'; code: number | null; reason: string }
  /**
   * The connection failed: a protocol violation by the peer (`code` is what our Close carried,
   * if we could still send one), or 1006 when TCP ended or the close timer expired first.
   */
  | { type: 'failed'; code: number; reason: string };

export interface CloseInfo {
  code: number | null;
  reason: string;
}

/** permessage-deflate as agreed in the handshake, from this endpoint's point of view. */
export interface DeflateSettings {
  /** LZ77 window the peer inflates our messages with (8..15; with 8 messages go uncompressed). */
  sendWindowBits: number;
  /** Reset our compressor before every message. */
  sendNoContextTakeover: boolean;
  /** The peer resets its compressor before every message, so our inflater may reset too. */
  receiveNoContextTakeover: boolean;
}

export interface ConnectionOptions {
  role: Role;
  /** Null or absent: no extension in use, so RSV1 is a protocol error. */
  deflate?: DeflateSettings | null;
  /** Messages larger than this (after decompression) fail the connection with 1009. */
  maxMessageSize?: number;
}

export interface DeflateNegotiation {
  /** The Sec-WebSocket-Extensions value of the 101 response. */
  response: string;
  settings: DeflateSettings;
}

/**
 * Server side: accept the first permessage-deflate offer this endpoint can honour, answering the
 * way the `ws` package does: the offer's parameters are echoed in their order, except a valueless
 * client_max_window_bits (a mere capability flag). So Autobahn's
 * `permessage-deflate; client_no_context_takeover; client_max_window_bits` gets
 * `permessage-deflate; client_no_context_takeover`. An offer asking for server_max_window_bits=8
 * is declined: zlib cannot compress with a 256-octet window. Malformed offers are declined too
 * (checkClientRequest has already refused the handshake over them). Null: nothing accepted.
 */
export function negotiateDeflateAsServer(extensionsHeader: string | null | undefined): DeflateNegotiation | null {
  if (!extensionsHeader) return null;
  for (const element of parseExtensions(extensionsHeader)) {
    if (element.name !== PERMESSAGE_DEFLATE) continue;
    const parsed = parseDeflateOffer(element);
    if (!parsed.ok) continue;
    const offer = parsed.offer;
    if (offer.serverMaxWindowBits !== null && offer.serverMaxWindowBits < 9) continue;
    let response = PERMESSAGE_DEFLATE;
    for (const { key, value } of element.params) {
      if (value === null) {
        if (key !== 'client_max_window_bits') response += `; ${key}`;
      } else {
        response += `; ${key}=${Number(value)}`;
      }
    }
    return {
      response,
      settings: {
        sendWindowBits: offer.serverMaxWindowBits ?? DEFAULT_WINDOW_BITS,
        sendNoContextTakeover: offer.serverNoContextTakeover,
        // Echoed in the response, so the client is bound to it.
        receiveNoContextTakeover: offer.clientNoContextTakeover,
      },
    };
  }
  return null;
}

/** Client side: our compressor settings from the server's accepted response. */
export function deflateSettingsForClient(agreement: DeflateAgreement): DeflateSettings {
  return {
    sendWindowBits: agreement.clientMaxWindowBits ?? DEFAULT_WINDOW_BITS,
    sendNoContextTakeover: agreement.clientNoContextTakeover,
    receiveNoContextTakeover: agreement.serverNoContextTakeover,
  };
}

/** Thrown by the send methods when the call breaks the protocol or the connection is not open. */
export class ConnectionUsageError extends Error {}

// Masking keys come from a pooled CSPRNG buffer: one randomFillSync per 1024 frames.
const KEY_POOL_SIZE = 4096;
let keyPool: Buffer = EMPTY;
let keyPoolOffset = 0;
function nextMaskKey(): Buffer {
  if (keyPoolOffset + 4 > keyPool.length) {
    keyPool = randomFillSync(Buffer.allocUnsafe(KEY_POOL_SIZE));
    keyPoolOffset = 0;
  }
  const key = keyPool.subarray(keyPoolOffset, keyPoolOffset + 4);
  keyPoolOffset += 4;
  return key;
}

function asBuffer(data: Uint8Array): Buffer {
  return Buffer.isBuffer(data) ? data : Buffer.from(data.buffer, data.byteOffset, data.byteLength);
}

/** Why a frame header breaks the protocol, or null when it is acceptable. */
interface Violation {
  code: number;
  reason: string;
}

export class Connection {
  readonly role: Role;
  readonly maxMessageSize: number;
  private stateValue: ConnectionState = 'open';
  private tcpCloseDue = false;

  // ---- input, interpreted lazily by nextEvent()
  private readonly decoder = new FrameDecoder();
  private inputChunks: Buffer[] = [];
  private inputIndex = 0;
  private frameEvents: FrameEvent[] = [];
  private frameEventIndex = 0;
  private eofPending = false;
  private readonly events: ConnectionEvent[] = [];

  // ---- the frame being read
  private frame: FrameHeader | null = null;
  private controlParts: Buffer[] = [];

  // ---- the data message being read (opcode 0 = none in progress)
  private messageOpcode = 0;
  private messageCompressed = false;
  private messageParts: Buffer[] = [];
  private messageLength = 0;
  private readonly utf8 = new Utf8Validator();

  // ---- permessage-deflate (null when not negotiated)
  private readonly deflater: MessageDeflater | null;
  private readonly inflater: MessageInflater | null;

  // ---- output
  private output: Buffer[] = [];

  private closeSentInfo: CloseInfo | null = null;
  private closeReceivedInfo: CloseInfo | null = null;
  private failureInfo: { code: number; reason: string } | null = null;

  constructor(options: ConnectionOptions) {
    this.role = options.role;
    this.maxMessageSize = options.maxMessageSize ?? DEFAULT_MAX_MESSAGE_SIZE;
    const deflate = options.deflate ?? null;
    if (deflate) {
      this.deflater = new MessageDeflater(deflate.sendWindowBits, deflate.sendNoContextTakeover);
      this.inflater = new MessageInflater(INFLATE_WINDOW_BITS, deflate.receiveNoContextTakeover, this.maxMessageSize);
    } else {
      this.deflater = null;
      this.inflater = null;
    }
  }

  get state(): ConnectionState {
    return this.stateValue;
  }

  /** The wrapper should write dataToSend() and then end the TCP connection. */
  get shouldCloseTcp(): boolean {
    return this.tcpCloseDue;
  }

  /**
   * A close timer should be running: while we wait for the peer's Close, and (client role) while
   * we wait for the server to end TCP after the closing handshake. Call closeTimeoutExpired()
   * when it fires.
   */
  get needsCloseTimer(): boolean {
    return this.stateValue === 'closing' || (this.stateValue === 'closed' && !this.tcpCloseDue);
  }

  get deflateActive(): boolean {
    return this.deflater !== null;
  }

  /** The Close frame we sent, if any. */
  get closeSent(): CloseInfo | null {
    return this.closeSentInfo;
  }

  /** The peer's valid Close frame, if one arrived. */
  get closeReceived(): CloseInfo | null {
    return this.closeReceivedInfo;
  }

  /** Why the connection failed, if it did. */
  get failure(): { code: number; reason: string } | null {
    return this.failureInfo;
  }

  // ------------------------------------------------------------------ input

  /** Octets from the peer. The buffer is retained (not copied) until interpreted: do not reuse it. */
  receiveData(data: Uint8Array): void {
    if (this.stateValue === 'closed' || this.eofPending || data.length === 0) return;
    this.inputChunks.push(asBuffer(data));
  }

  /** The peer ended its side of the TCP connection (or the transport is gone). */
  receiveEof(): void {
    this.eofPending = true;
  }

  /** Interpret input until one event results; null when the input so far yields no more. */
  nextEvent(): ConnectionEvent | null {
    for (;;) {
      if (this.events.length > 0) return this.events.shift()!;
      if (this.stateValue === 'closed') {
        this.discardInput();
        if (this.eofPending) {
          this.eofPending = false;
          this.tcpCloseDue = true;
        }
        return null;
      }
      if (this.frameEventIndex < this.frameEvents.length) {
        this.handleFrameEvent(this.frameEvents[this.frameEventIndex++]!);
        continue;
      }
      if (this.inputIndex < this.inputChunks.length) {
        const chunk = this.inputChunks[this.inputIndex]!;
        this.inputChunks[this.inputIndex++] = EMPTY;
        if (this.inputIndex === this.inputChunks.length) {
          this.inputChunks = [];
          this.inputIndex = 0;
        }
        this.frameEvents = this.decoder.push(chunk);
        this.frameEventIndex = 0;
        continue;
      }
      if (this.eofPending) {
        this.eofPending = false;
        this.abort('connection closed without a closing handshake');
        continue;
      }
      return null;
    }
  }

  /** All events the input so far yields. Prefer nextEvent() when reacting by sending (see top). */
  eventsReceived(): ConnectionEvent[] {
    const out: ConnectionEvent[] = [];
    for (let e = this.nextEvent(); e !== null; e = this.nextEvent()) out.push(e);
    return out;
  }

  /** The close timer the wrapper armed (see needsCloseTimer) fired. */
  closeTimeoutExpired(): void {
    if (this.stateValue === 'closing') this.abort('closing handshake timed out');
    else if (this.stateValue === 'closed') this.tcpCloseDue = true;
  }

  // ------------------------------------------------------------------ output

  /** Octets to write, in order; each call returns what was queued since the previous one. */
  dataToSend(): Buffer[] {
    const out = this.output;
    this.output = [];
    return out;
  }

  /** Send a text message. A Buffer must hold valid UTF-8; it must not be modified afterwards. */
  sendText(data: string | Uint8Array): void {
    const payload = typeof data === 'string' ? Buffer.from(data, 'utf8') : asBuffer(data);
    if (typeof data !== 'string' && !isValidUtf8(payload)) {
      throw new ConnectionUsageError('text message payload is not valid UTF-8');
    }
    this.sendMessage(Opcode.TEXT, payload);
  }

  /** Send a binary message. The buffer must not be modified afterwards (it may be written as is). */
  sendBinary(data: Uint8Array): void {
    this.sendMessage(Opcode.BINARY, asBuffer(data));
  }

  sendPing(data: Uint8Array | string = EMPTY): void {
    this.sendControl(Opcode.PING, typeof data === 'string' ? Buffer.from(data) : asBuffer(data));
  }

  sendPong(data: Uint8Array | string = EMPTY): void {
    this.sendControl(Opcode.PONG, typeof data === 'string' ? Buffer.from(data) : asBuffer(data));
  }

  /**
   * Start the closing handshake. `code` null sends an empty Close (then `reason` must be empty).
   * Afterwards incoming data is ignored until the peer's Close arrives (or the close timer fires).
   */
  close(code: number | null = CloseCode.NORMAL, reason = ''): void {
    this.assertOpen('close');
    const reasonBytes = Buffer.from(reason, 'utf8');
    if (code === null) {
      if (reasonBytes.length > 0) throw new ConnectionUsageError('a close reason needs a close code');
    } else if (!closeCodeIsValid(code, true)) {
      throw new ConnectionUsageError(`close code ${code} may not be sent`);
    }
    if (reasonBytes.length > MAX_CLOSE_REASON) {
      throw new ConnectionUsageError(`close reason longer than ${MAX_CLOSE_REASON} octets`);
    }
    this.sendCloseFrame(code, reasonBytes);
    this.stateValue = 'closing';
    this.releaseMessageData();
  }

  private assertOpen(what: string): void {
    if (this.stateValue !== 'open') throw new ConnectionUsageError(`cannot ${what}: the connection is ${this.stateValue}`);
  }

  private sendMessage(opcode: number, payload: Buffer): void {
    this.assertOpen('send a message');
    if (this.deflater) {
      const compressed = this.deflater.compress(payload);
      this.writeFrame(opcode, compressed.compressed ? 4 : 0, compressed.data);
    } else {
      this.writeFrame(opcode, 0, payload);
    }
  }

  private sendControl(opcode: number, payload: Buffer): void {
    this.assertOpen(opcode === Opcode.PING ? 'send a ping' : 'send a pong');
    if (payload.length > MAX_CONTROL_PAYLOAD) {
      throw new ConnectionUsageError(`control frame payload longer than ${MAX_CONTROL_PAYLOAD} octets`);
    }
    this.writeFrame(opcode, 0, payload);
  }

  private sendCloseFrame(code: number | null, reason: Buffer): void {
    this.writeFrame(Opcode.CLOSE, 0, encodeClosePayload(code, reason.length > 0 ? reason : null));
    this.closeSentInfo = { code, reason: reason.toString('utf8') };
  }

  /** One final frame. Clients mask with a fresh key (RFC 6455 §5.3); servers never mask. */
  private writeFrame(opcode: number, rsv: number, payload: Buffer): void {
    if (this.role === 'client') {
      const key = nextMaskKey();
      const header = encodeFrameHeader(opcode, true, rsv, payload.length, key);
      const frame = Buffer.allocUnsafe(header.length + payload.length);
      header.copy(frame, 0);
      payload.copy(frame, header.length);
      maskInPlace(frame.subarray(header.length), key, 0);
      this.output.push(frame);
      return;
    }
    const header = encodeFrameHeader(opcode, true, rsv, payload.length, null);
    if (payload.length <= COALESCE_LIMIT) {
      this.output.push(payload.length === 0 ? header : Buffer.concat([header, payload], header.length + payload.length));
    } else {
      this.output.push(header, payload);
    }
  }

  // ------------------------------------------------------------------ interpreting frames

  private handleFrameEvent(event: FrameEvent): void {
    switch (event.type) {
      case 'header':
        this.handleHeader(event.header);
        break;
      case 'payload':
        this.handlePayload(event.data);
        break;
      case 'end':
        this.handleFrameEnd();
        break;
    }
  }

  private handleHeader(header: FrameHeader): void {
    const violation = this.checkHeader(header);
    if (violation) {
      this.fail(violation.code, violation.reason);
      return;
    }
    this.frame = header;
    if (isControlOpcode(header.opcode)) {
      this.controlParts = [];
      return;
    }
    if (header.opcode !== Opcode.CONTINUATION) {
      this.messageOpcode = header.opcode;
      this.messageCompressed = (header.rsv & 4) !== 0;
      this.messageParts = [];
      this.messageLength = 0;
      this.utf8.reset();
      if (this.messageCompressed && this.stateValue === 'open') this.inflater!.beginMessage();
    }
  }

  /** RFC 6455 §5.2–5.5 and RFC 7692 §6: everything a header alone can get wrong. */
  private checkHeader(h: FrameHeader): Violation | null {
    const protocolError = (reason: string): Violation => ({ code: CloseCode.PROTOCOL_ERROR, reason });
    const op = h.opcode;
    if (op > Opcode.BINARY && op < Opcode.CLOSE) return protocolError(`reserved opcode ${op}`);
    if (op > Opcode.PONG) return protocolError(`reserved opcode ${op}`);
    if ((h.rsv & 3) !== 0) return protocolError('reserved bit RSV2 or RSV3 set');
    const control = isControlOpcode(op);
    if ((h.rsv & 4) !== 0) {
      if (this.inflater === null) return protocolError('RSV1 set but no extension negotiated');
      if (control) return protocolError('RSV1 set on a control frame');
      if (op === Opcode.CONTINUATION) return protocolError('RSV1 set on a continuation frame');
    }
    if (this.role === 'server' && !h.masked) return protocolError('unmasked frame from a client');
    if (this.role === 'client' && h.masked) return protocolError('masked frame from a server');
    if (h.lengthOver2p63) return protocolError('payload length with the most significant bit set');
    if (h.nonMinimalLength) return protocolError('payload length not minimally encoded');
    if (control) {
      if (!h.fin) return protocolError('fragmented control frame');
      if (h.length > MAX_CONTROL_PAYLOAD) return protocolError(`control frame payload of ${h.length} octets`);
      return null;
    }
    if (op === Opcode.CONTINUATION) {
      if (this.messageOpcode === 0) return protocolError('continuation frame without a message to continue');
    } else if (this.messageOpcode !== 0) {
      return protocolError('new data message before the fragmented one finished');
    }
    // Fail before the octets arrive when the declared length already exceeds the limit.
    const compressed = op === Opcode.CONTINUATION ? this.messageCompressed : (h.rsv & 4) !== 0;
    const soFar = op === Opcode.CONTINUATION ? this.messageLength : 0;
    if (!compressed && this.stateValue === 'open' && soFar + h.length > this.maxMessageSize) {
      return { code: CloseCode.MESSAGE_TOO_BIG, reason: `message exceeds ${this.maxMessageSize} octets` };
    }
    return null;
  }

  private handlePayload(data: Buffer): void {
    const frame = this.frame!;
    if (isControlOpcode(frame.opcode)) {
      this.controlParts.push(data);
      return;
    }
    if (this.stateValue !== 'open') return; // closing: data is ignored
    if (!this.messageCompressed) {
      this.addMessageData(data);
      return;
    }
    let inflated: Buffer;
    try {
      inflated = this.inflater!.push(data);
    } catch (err) {
      this.failInflate(err);
      return;
    }
    if (inflated.length > 0) this.addMessageData(inflated);
  }

  private handleFrameEnd(): void {
    const frame = this.frame!;
    this.frame = null;
    if (isControlOpcode(frame.opcode)) {
      const parts = this.controlParts;
      this.controlParts = [];
      this.handleControlFrame(frame.opcode, parts.length === 1 ? parts[0]! : Buffer.concat(parts));
      return;
    }
    if (frame.fin) this.finishMessage();
  }

  /** Validate (text) and keep a piece of the current message, failing fast. */
  private addMessageData(data: Buffer): void {
    if (this.messageLength + data.length > this.maxMessageSize) {
      this.fail(CloseCode.MESSAGE_TOO_BIG, `message exceeds ${this.maxMessageSize} octets`);
      return;
    }
    if (this.messageOpcode === Opcode.TEXT && !this.utf8.validate(data).valid) {
      this.fail(CloseCode.INVALID_PAYLOAD, 'invalid UTF-8 in text message');
      return;
    }
    this.messageParts.push(data);
    this.messageLength += data.length;
  }

  private finishMessage(): void {
    const opcode = this.messageOpcode;
    if (this.stateValue === 'open' && this.messageCompressed) {
      // The inflater's last output still belongs to the message (and to its UTF-8 check).
      let tail: Buffer = EMPTY;
      try {
        tail = this.inflater!.endMessage();
      } catch (err) {
        this.failInflate(err);
      }
      if (tail.length > 0) this.addMessageData(tail);
    }
    if (this.stateValue === 'open' && opcode === Opcode.TEXT && !this.utf8.complete) {
      this.fail(CloseCode.INVALID_PAYLOAD, 'text message ends inside a UTF-8 sequence');
    }
    this.messageOpcode = 0;
    if (this.stateValue !== 'open') {
      this.releaseMessageData();
      return;
    }
    const parts = this.messageParts;
    const data = parts.length === 0 ? EMPTY : parts.length === 1 ? parts[0]! : Buffer.concat(parts, this.messageLength);
    this.releaseMessageData();
    this.events.push({ type: opcode === Opcode.TEXT ? 'text' : 'binary', data });
  }

  /**
   * Drop what was collected of the current message. The fragmentation state (messageOpcode) stays:
   * while closing, the peer may still finish a fragmented message, and that is no violation.
   */
  private releaseMessageData(): void {
    this.messageParts = [];
    this.messageLength = 0;
  }

  private failInflate(err: unknown): void {
    const message = err instanceof Error ? err.message : String(err);
    if (err instanceof InflateError && err.tooLarge) {
      this.fail(CloseCode.MESSAGE_TOO_BIG, `message exceeds ${this.maxMessageSize} octets`);
    } else {
      this.fail(CloseCode.INVALID_PAYLOAD, `invalid compressed data: ${message}`);
    }
  }

  private handleControlFrame(opcode: number, payload: Buffer): void {
    if (opcode === Opcode.CLOSE) {
      this.handleClose(payload);
      return;
    }
    if (this.stateValue !== 'open') return; // closing: pings are not answered, pongs not reported
    if (opcode === Opcode.PING) {
      this.writeFrame(Opcode.PONG, 0, payload);
      this.events.push({ type: 'ping', data: payload });
    } else {
      this.events.push({ type: 'pong', data: payload });
    }
  }

  /** RFC 6455 §5.5.1, §7.1.5, §7.4: validate the peer's Close, reply if we have not sent ours. */
  private handleClose(payload: Buffer): void {
    const parsed = parseClosePayload(payload);
    if (parsed === null) {
      this.fail(CloseCode.PROTOCOL_ERROR, 'close frame payload of 1 octet');
      return;
    }
    if (parsed.code !== null && !closeCodeIsValid(parsed.code, true)) {
      this.fail(CloseCode.PROTOCOL_ERROR, `invalid close code ${parsed.code}`);
      return;
    }
    if (parsed.reason !== null && !isValidUtf8(parsed.reason)) {
      this.fail(CloseCode.INVALID_PAYLOAD, 'close reason is not valid UTF-8');
      return;
    }
    const info: CloseInfo = { code: parsed.code, reason: parsed.reason ? parsed.reason.toString('utf8') : '' };
    this.closeReceivedInfo = info;
    // Echo the peer's status code (none if it sent none); the reason is not repeated.
    if (this.stateValue === 'open') this.sendCloseFrame(parsed.code, EMPTY);
    this.enterClosed();
    // RFC 6455 §7.1.1: the server ends TCP first; a client waits for it (needsCloseTimer).
    if (this.role === 'server') this.tcpCloseDue = true;
    this.events.push({ type: 'close', code: info.code, reason: info.reason });
  }

  /** _Fail the WebSocket Connection_ (RFC 6455 §7.1.7): send a Close if still possible, end TCP. */
  private fail(code: number, reason: string): void {
    if (this.stateValue === 'closed') return;
    if (this.stateValue === 'open') this.sendCloseFrame(code, closeReasonOctets(reason));
    this.failureInfo = { code, reason };
    this.enterClosed();
    this.tcpCloseDue = true;
    this.events.push({ type: 'failed', code, reason });
  }

  /** The transport ended or timed out before the closing handshake finished (1006). */
  private abort(reason: string): void {
    if (this.stateValue === 'closed') {
      this.tcpCloseDue = true;
      return;
    }
    this.failureInfo = { code: 1006, reason };
    this.enterClosed();
    this.tcpCloseDue = true;
    this.events.push({ type: 'failed', code: 1006, reason });
  }

  private enterClosed(): void {
    this.stateValue = 'closed';
    this.releaseMessageData();
    this.discardInput();
    this.deflater?.close();
    this.inflater?.close();
  }

  private discardInput(): void {
    this.inputChunks = [];
    this.inputIndex = 0;
    this.frameEvents = [];
    this.frameEventIndex = 0;
  }
}
