// One case over one TCP connection: the only place (with the modes) that touches sockets and timers.
// The session plays the fuzzer's side of the WebSocket protocol exactly as the reference engine
// does (autobahn-behaviour §6): receive checks, fail logic, closing handshake and its timeouts,
// the send primitives and timers cases use, the wire log, statistics and observed events.
import type { Socket } from 'node:net';
import { randomBytes } from 'node:crypto';
import { FrameDecoder, encodeFrame, encodeFrameHeader, isControlOpcode, Opcode, type FrameHeader } from '../protocol/frame.js';
import { maskInPlace } from '../protocol/mask.js';
import { Utf8Validator, isValidUtf8 } from '../protocol/utf8.js';
import { closeCodeIsValid, encodeClosePayload, CloseCode } from '../protocol/close.js';
import { headText, splitHead } from '../protocol/http.js';
import { checkServerResponse, type ServerResponseCheck } from '../protocol/handshake.js';
import type { DeflateAgreement } from '../protocol/extensions.js';
import { MessageDeflater, MessageInflater, InflateError } from '../protocol/deflate.js';
import { eventsEqual, type ObservedEvent } from './events.js';
import { WireLog } from './wirelog.js';
import { MESSAGE_SAFETY_LIMIT, type FuzzerOptions } from './options.js';
import type { CaseDefinition, CaseHandlers, CaseSession, ConnectionState, PreparedMessage, RawFrame } from './case.js';
import { TrafficCounters, type TrafficStats } from './traffic.js';

/** Observed events beyond this are counted, not kept (no expected list is anywhere near it). */
const MAX_RECORDED_EVENTS = 10_000;
/** Octets of a payload the report shows (the rest is abbreviated as " ..."). */
const DISPLAY_OCTETS = 64;
/** Stop reading while more than this waits to be written: a peer that floods pings but never reads. */
const WRITE_BACKLOG_LIMIT = 64 * 1024 * 1024;
/** Control-frame payload kept for processing and logging (legal ones have at most 125 octets). */
const CONTROL_PAYLOAD_KEEP = 64 * 1024;
/** Slack added to the longest case timer before the watchdog ends a connection that never closes. */
const WATCHDOG_SLACK_MS = 10_000;

export const DEFAULT_FAIL_REASON = 'Going Away';

/** Everything a finished session knows; the verdict and the report are computed from it. */
export interface SessionRecord {
  isServer: boolean;
  /** The TCP connection was established (false: connect failed). */
  connected: boolean;
  /** Why the TCP connection could not be made (when !connected). */
  connectError: string | null;
  connectionWasOpen: boolean;
  /** Wall-clock start (ISO string in reports). */
  started: Date;
  durationMs: number;
  httpRequest: string | null;
  httpResponse: string | null;
  /** Value of the peer's Server header (client role). */
  serverHeader: string | null;
  closedByMe: boolean;
  failedByMe: boolean;
  droppedByMe: boolean;
  wasClean: boolean;
  wasNotCleanReason: string | null;
  wasServerConnectionDropTimeout: boolean;
  wasOpenHandshakeTimeout: boolean;
  wasCloseHandshakeTimeout: boolean;
  localCloseCode: number | null;
  localCloseReason: Buffer | null;
  remoteCloseCode: number | null;
  remoteCloseReason: string | null;
  received: ObservedEvent[];
  /** Events not kept because of MAX_RECORDED_EVENTS. */
  receivedDropped: number;
  behavior: string;
  result: string;
  wirelog: WireLog;
  trafficStats: TrafficStats | null;
  /** The case was skipped by exclude-agent-cases (nothing is to be recorded). */
  excluded: boolean;
  /** A case hook threw: a wsfuzz bug, reported rather than crashing the run. */
  internalError: string | null;
}

export interface SessionHooks {
  /** Decide at open whether this (agent, case) is excluded; the session then closes at once. */
  isExcluded?: (serverHeader: string | null) => boolean;
  /**
   * No case time bound: for control connections (fuzzingserver's /getCaseStatus waits for a
   * result as long as the client keeps the connection open).
   */
  unbounded?: boolean;
}

let maskPool = Buffer.alloc(0);
let maskPoolPos = 0;
function randomMask(): Buffer {
  if (maskPoolPos + 4 > maskPool.length) {
    maskPool = randomBytes(4096);
    maskPoolPos = 0;
  }
  const m = maskPool.subarray(maskPoolPos, maskPoolPos + 4);
  maskPoolPos += 4;
  return m;
}

interface CurrentMessage {
  opcode: number;
  compressed: boolean;
  chunks: Buffer[];
  length: number;
  utf8: Utf8Validator | null;
}

interface QueuedWrite {
  data: Buffer;
  sync: boolean;
}

export class FuzzSession implements CaseSession {
  readonly isServer: boolean;
  state: ConnectionState = 'CONNECTING';
  behavior = 'FAILED';
  result = 'Actual events differ from any expected.';

  private readonly def: CaseDefinition;
  private handlers: CaseHandlers | null = null;
  /** Length of the longest expected event list. */
  private readonly longestExpected: number;
  private readonly opts: FuzzerOptions;
  private readonly hooks: SessionHooks;
  private socket: Socket | null = null;

  // record
  private readonly log = new WireLog();
  private readonly started = new Date();
  private readonly startedAt = performance.now();
  private openedAt = 0;
  private connected = false;
  private connectError: string | null = null;
  private connectionWasOpen = false;
  private httpRequest: string | null = null;
  private httpResponse: string | null = null;
  private serverHeader: string | null = null;
  private closedByMe = false;
  private failedByMe = false;
  private droppedByMe = false;
  private wasClean = false;
  private wasNotCleanReason: string | null = null;
  private wasServerConnectionDropTimeout = false;
  private wasOpenHandshakeTimeout = false;
  private wasCloseHandshakeTimeout = false;
  private localCloseCode: number | null = null;
  private localCloseReason: Buffer | null = null;
  private remoteCloseCode: number | null = null;
  private remoteCloseReason: string | null = null;
  private readonly received: ObservedEvent[] = [];
  private receivedDropped = 0;
  private excluded = false;
  private internalError: string | null = null;
  private readonly traffic = new TrafficCounters();
  private trafficSnapshot: TrafficStats | null = null;

  // handshake (client role)
  private handshakeBuf: Buffer[] = [];
  private handshakeLen = 0;
  private handshakeCheck: ServerResponseCheck | null = null;

  // receive
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

  // permessage-deflate
  private deflate: DeflateAgreement | null = null;
  private deflater: MessageDeflater | null = null;
  private inflater: MessageInflater | null = null;

  // send
  private autoFragmentSize: number;
  private readonly queue: QueuedWrite[] = [];
  private pumping = false;
  private streamMask: Buffer | null = null;
  private streamKeyOffset = 0;

  // timers
  private readonly timers = new Set<NodeJS.Timeout>();
  private openHandshakeTimer: NodeJS.Timeout | null = null;
  private closeHandshakeTimer: NodeJS.Timeout | null = null;
  private watchdog: NodeJS.Timeout | null = null;
  private watchdogDeadline = 0;

  private resolveDone!: (record: SessionRecord) => void;
  readonly done: Promise<SessionRecord>;
  private finished = false;

  constructor(def: CaseDefinition, opts: FuzzerOptions, isServer: boolean, hooks: SessionHooks = {}) {
    this.def = def;
    this.opts = opts;
    this.isServer = isServer;
    this.hooks = hooks;
    this.autoFragmentSize = opts.autoFragmentSize;
    this.longestExpected = Math.max(0, ...Object.values(def.expected).map((list) => list.length));
    this.done = new Promise((resolve) => (this.resolveDone = resolve));
  }

  get deflateActive(): boolean {
    return this.deflate !== null;
  }

  // ------------------------------------------------------------------ lifecycle

  /** Client role: the TCP connect failed; the case ends without a connection. */
  connectFailed(reason: string): void {
    this.connectError = reason;
    this.wasNotCleanReason = reason;
    this.state = 'CLOSED';
    this.finish();
  }

  /** Client role: TCP is up; send the opening handshake request. */
  startClient(socket: Socket, request: string, check: ServerResponseCheck): void {
    this.attach(socket);
    this.handshakeCheck = check;
    this.httpRequest = request;
    this.armOpenHandshakeTimer();
    this.writeNow(Buffer.from(request, 'latin1'), false);
  }

  /**
   * Server role: the request was read (its raw chunks are logged here) and accepted; send the
   * response and open. `rest` is whatever arrived after the request head.
   */
  startServer(
    socket: Socket,
    requestChunks: Buffer[],
    requestHead: string,
    response: string,
    deflate: DeflateAgreement | null,
    rest: Buffer,
  ): void {
    this.attach(socket);
    for (const chunk of requestChunks) {
      this.log.rxOctets(chunk);
      this.traffic.preopenIncoming += chunk.length;
    }
    this.traffic.preopenIncoming -= rest.length;
    this.traffic.incomingWire += rest.length;
    this.httpRequest = requestHead;
    this.httpResponse = response;
    this.writeNow(Buffer.from(response, 'latin1'), false);
    this.open(deflate);
    if (rest.length > 0 && (this.state === 'OPEN' || this.state === 'CLOSING')) this.processFrames(rest);
  }

  private attach(socket: Socket): void {
    this.socket = socket;
    this.connected = true;
    socket.setNoDelay(this.opts.tcpNoDelay);
    socket.on('data', (chunk: Buffer) => this.guard(() => this.onData(chunk)));
    socket.on('error', () => {
      /* 'close' follows; the record says how the connection ended */
    });
    socket.on('close', () => this.onTcpClosed());
  }

  private onData(chunk: Buffer): void {
    this.log.rxOctets(chunk);
    if (this.state === 'CONNECTING') {
      this.traffic.preopenIncoming += chunk.length;
      this.onHandshakeData(chunk);
      return;
    }
    if (this.state === 'OPEN' || this.state === 'CLOSING') {
      this.traffic.incomingWire += chunk.length;
      this.processFrames(chunk);
    }
  }

  private onHandshakeData(chunk: Buffer): void {
    if (this.isServer || this.handshakeCheck === null) return;
    this.handshakeBuf.push(chunk);
    this.handshakeLen += chunk.length;
    const all = Buffer.concat(this.handshakeBuf, this.handshakeLen);
    const split = splitHead(all);
    if (split.kind === 'incomplete') {
      this.handshakeBuf = [all];
      return;
    }
    if (split.kind === 'too-large') {
      this.failHandshake('HTTP response header too large (no end of header within 64 KiB)');
      return;
    }
    this.handshakeBuf = [];
    const text = headText(split.head);
    this.httpResponse = text;
    const check = checkServerResponse(text, this.handshakeCheck);
    if (!check.ok) {
      this.failHandshake(check.reason);
      return;
    }
    this.serverHeader = check.server;
    this.open(check.deflate);
    if (split.rest.length > 0 && (this.state === 'OPEN' || this.state === 'CLOSING')) {
      // Frames that came in the same read as the end of the head are open-state traffic.
      this.traffic.preopenIncoming -= split.rest.length;
      this.traffic.incomingWire += split.rest.length;
      this.processFrames(split.rest);
    }
  }

  private failHandshake(reason: string): void {
    this.wasNotCleanReason = reason;
    this.dropConnection(true);
  }

  private open(deflate: DeflateAgreement | null): void {
    this.clearTimer(this.openHandshakeTimer);
    this.openHandshakeTimer = null;
    this.state = 'OPEN';
    this.connectionWasOpen = true;
    this.openedAt = performance.now();
    if (deflate) {
      this.deflate = deflate;
      // Window and context per direction: ours is "client" in the client role, "server" otherwise.
      const ourBits = this.isServer ? deflate.serverMaxWindowBits : deflate.clientMaxWindowBits;
      const ourReset = this.isServer ? deflate.serverNoContextTakeover : deflate.clientNoContextTakeover;
      const peerBits = this.isServer ? deflate.clientMaxWindowBits : deflate.serverMaxWindowBits;
      const peerReset = this.isServer ? deflate.clientNoContextTakeover : deflate.serverNoContextTakeover;
      this.deflater = new MessageDeflater(ourBits ?? 15, ourReset);
      this.inflater = new MessageInflater(peerBits ?? 15, peerReset, this.messageLimit());
    }
    this.armWatchdog(0);
    if (this.hooks.isExcluded?.(this.serverHeader)) {
      this.excluded = true;
      this.sendCloseFrame();
      return;
    }
    this.guard(() => {
      this.handlers = this.def.onOpen(this) ?? null;
    });
  }

  private onTcpClosed(): void {
    if (this.finished) return;
    this.state = 'CLOSED';
    if (!this.wasClean && !this.droppedByMe && this.wasNotCleanReason === null) {
      this.wasNotCleanReason = 'peer dropped the TCP connection without previous WebSocket closing handshake';
    }
    this.finish();
  }

  private finish(): void {
    if (this.finished) return;
    this.finished = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    this.queue.length = 0;
    this.deflater?.close();
    this.inflater?.close();
    const end = performance.now();
    this.resolveDone({
      isServer: this.isServer,
      connected: this.connected,
      connectError: this.connectError,
      connectionWasOpen: this.connectionWasOpen,
      started: this.started,
      // Measured from open; a case that never opened reports its real elapsed time.
      durationMs: Math.round(end - (this.connectionWasOpen ? this.openedAt : this.startedAt)),
      httpRequest: this.httpRequest,
      httpResponse: this.httpResponse,
      serverHeader: this.serverHeader,
      closedByMe: this.closedByMe,
      failedByMe: this.failedByMe,
      droppedByMe: this.droppedByMe,
      wasClean: this.wasClean,
      wasNotCleanReason: this.wasNotCleanReason,
      wasServerConnectionDropTimeout: this.wasServerConnectionDropTimeout,
      wasOpenHandshakeTimeout: this.wasOpenHandshakeTimeout,
      wasCloseHandshakeTimeout: this.wasCloseHandshakeTimeout,
      localCloseCode: this.localCloseCode,
      localCloseReason: this.localCloseReason,
      remoteCloseCode: this.remoteCloseCode,
      remoteCloseReason: this.remoteCloseReason,
      received: this.received,
      receivedDropped: this.receivedDropped,
      behavior: this.behavior,
      result: this.result,
      wirelog: this.log,
      trafficStats: this.trafficSnapshot,
      excluded: this.excluded,
      internalError: this.internalError,
    });
  }

  /** Run case code; a throw is a wsfuzz bug: record it and end the connection instead of crashing. */
  private guard(fn: () => void): void {
    try {
      fn();
    } catch (err) {
      this.internalError = err instanceof Error ? (err.stack ?? err.message) : String(err);
      this.wasNotCleanReason ??= `wsfuzz internal error: ${err instanceof Error ? err.message : String(err)}`;
      this.dropConnection(true);
    }
  }

  // ------------------------------------------------------------------ receive path

  private processFrames(chunk: Buffer): void {
    for (const ev of this.decoder.push(chunk)) {
      if (this.state === 'CLOSED') return;
      if (ev.type === 'header') this.onFrameHeader(ev.header);
      else if (ev.type === 'payload') this.onFramePayload(ev.data);
      else this.onFrameEnd();
    }
  }

  /** Header checks in the reference engine's order; each violation fails the connection with 1002. */
  private headerViolation(h: FrameHeader): string | null {
    if (h.rsv !== 0 && !(this.deflate !== null && h.rsv === 4)) {
      return `RSV = ${h.rsv} and no extension negotiated`;
    }
    if (this.isServer && !h.masked && this.opts.requireMaskedClientFrames) return 'unmasked client-to-server frame';
    if (!this.isServer && h.masked && !this.opts.acceptMaskedServerFrames) return 'masked server-to-client frame';
    if (isControlOpcode(h.opcode)) {
      if (!h.fin) return 'fragmented control frame';
      if (h.length > 125 || h.lengthOver2p63) return 'control frame with payload length > 125 octets';
      if (h.opcode > Opcode.PONG) return `control frame using reserved opcode ${h.opcode}`;
      if (h.opcode === Opcode.CLOSE && h.length === 1) return 'received close control frame with payload len 1';
      if (this.deflate !== null && h.rsv === 4) return 'received compressed control frame [permessage-deflate]';
    } else {
      if (h.opcode > Opcode.BINARY) return `data frame using reserved opcode ${h.opcode}`;
      if (h.opcode === Opcode.CONTINUATION && !this.insideMessage) {
        return 'received continuation data frame outside fragmented message';
      }
      if (h.opcode !== Opcode.CONTINUATION && this.insideMessage) {
        return 'received non-continuation data frame while inside fragmented message';
      }
      if (this.deflate !== null && h.opcode === Opcode.CONTINUATION && h.rsv === 4) {
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
      this.fail(CloseCode.PROTOCOL_ERROR, violation);
      if (this.state === 'CLOSED') return;
    }
    const frameLimit = this.opts.maxFramePayloadSize;
    if (frameLimit > 0 && h.length > frameLimit && !this.failedByMe) {
      this.fail(CloseCode.POLICY_VIOLATION, `frame exceeds payload limit of ${frameLimit} octets`);
      if (this.state === 'CLOSED') return;
    }
    if (isControlOpcode(h.opcode)) return;
    // Data frame: a non-continuation opcode starts a message (even a reserved one).
    if (h.opcode !== Opcode.CONTINUATION || this.message === null) {
      const opcode = h.opcode === Opcode.CONTINUATION ? Opcode.BINARY : h.opcode;
      const compressed = this.deflate !== null && (h.rsv & 4) !== 0;
      this.message = {
        opcode,
        compressed,
        chunks: [],
        length: 0,
        utf8: opcode === Opcode.TEXT && this.opts.utf8validateIncoming ? new Utf8Validator() : null,
      };
      if (compressed) this.inflater!.beginMessage();
    }
    this.insideMessage = !h.fin;
    this.traffic.incomingFrames++;
  }

  private keepFrameHead(data: Buffer): void {
    if (this.frameHeadLength < 64) {
      this.frameHead.push(data.subarray(0, 64 - this.frameHeadLength));
      this.frameHeadLength += Math.min(data.length, 64 - this.frameHeadLength);
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
    this.traffic.incomingWebSocket += data.length;
    // Once we failed the connection, data payload is no longer taken in (reference behaviour).
    if (this.failedByMe) return;
    const msg = this.message!;
    let out = data;
    if (msg.compressed) {
      try {
        out = this.inflater!.push(data);
      } catch (err) {
        this.onInflateError(err);
        return;
      }
    }
    this.takeMessageData(msg, out);
  }

  private takeMessageData(msg: CurrentMessage, out: Buffer): void {
    if (out.length === 0) return;
    this.traffic.incomingApp += out.length;
    if (msg.utf8) {
      const r = msg.utf8.validate(out);
      if (!r.valid) {
        this.fail(
          CloseCode.INVALID_PAYLOAD,
          `encountered invalid UTF-8 while processing text message at payload octet index ${r.errorIndex}`,
        );
        return;
      }
    }
    const limit = this.messageLimit();
    if (msg.length + out.length > limit) {
      this.fail(CloseCode.MESSAGE_TOO_BIG, `message exceeds payload limit of ${limit} octets`);
      return;
    }
    msg.chunks.push(out);
    msg.length += out.length;
    this.frameLength += out.length;
    this.keepFrameHead(out);
  }

  private messageLimit(): number {
    const configured = this.opts.maxMessagePayloadSize;
    return configured > 0 ? Math.min(configured, MESSAGE_SAFETY_LIMIT) : MESSAGE_SAFETY_LIMIT;
  }

  private onInflateError(err: unknown): void {
    if (err instanceof InflateError && err.tooLarge) {
      this.fail(CloseCode.MESSAGE_TOO_BIG, err.message);
      return;
    }
    // The reference engine drops TCP on an inflate error; wsfuzz fails the connection with 1007
    // (the payload is invalid), which ends the same way for the main verdict.
    this.fail(CloseCode.INVALID_PAYLOAD, `permessage-deflate: ${err instanceof Error ? err.message : String(err)}`);
  }

  private onFrameEnd(): void {
    const h = this.frame!;
    this.frame = null;
    this.log.rxFrame(this.frameLength, Buffer.concat(this.frameHead), h.opcode, h.fin, h.rsv, h.masked, h.mask);
    if (isControlOpcode(h.opcode)) {
      const payload = Buffer.concat(this.controlPayload);
      this.controlPayload = [];
      if (h.opcode === Opcode.CLOSE) this.onClose(payload);
      else if (h.opcode === Opcode.PING) this.onPing(payload);
      else if (h.opcode === Opcode.PONG) this.onPong(payload);
      return;
    }
    if (!h.fin || this.message === null) return;
    const msg = this.message;
    this.message = null;
    this.insideMessage = false;
    this.traffic.incomingMessages++;
    if (this.failedByMe) return;
    if (msg.compressed) {
      try {
        this.takeMessageData(msg, this.inflater!.endMessage());
      } catch (err) {
        this.onInflateError(err);
        return;
      }
      if (this.failedByMe) return;
    }
    if (msg.utf8 && !msg.utf8.complete) {
      this.fail(
        CloseCode.INVALID_PAYLOAD,
        `UTF-8 text message payload ended within Unicode code point at payload octet index ${msg.length}`,
      );
      return;
    }
    const payload = msg.chunks.length === 1 ? msg.chunks[0]! : Buffer.concat(msg.chunks, msg.length);
    this.deliverMessage(payload, msg.opcode !== Opcode.TEXT);
  }

  private deliverMessage(payload: Buffer, binary: boolean): void {
    if (this.handlers) {
      this.handlers.onMessage(payload, binary);
      return;
    }
    this.record({ kind: 'message', payload, binary });
    this.finishWhenDone();
  }

  private onPing(payload: Buffer): void {
    if (this.state === 'OPEN') this.sendFrame({ opcode: Opcode.PONG, payload });
  }

  private onPong(payload: Buffer): void {
    this.record({ kind: 'pong', payload });
    this.finishWhenDone();
  }

  private onClose(payload: Buffer): void {
    const code = payload.length >= 2 ? payload.readUInt16BE(0) : null;
    const reason = payload.length > 2 ? payload.subarray(2) : null;
    if (code !== null && !closeCodeIsValid(code)) {
      this.fail(CloseCode.PROTOCOL_ERROR, `invalid close code ${code}`);
      if (this.opts.failByDrop) return;
    }
    this.remoteCloseCode = code;
    this.remoteCloseReason = null;
    if (reason !== null) {
      if (!isValidUtf8(reason)) {
        this.fail(CloseCode.INVALID_PAYLOAD, 'invalid close reason (non-UTF-8 payload)');
        if (this.opts.failByDrop) return;
      } else {
        this.remoteCloseReason = reason.toString('utf8');
      }
    }
    if (this.state === 'CLOSING') {
      // The reply to our Close.
      this.clearTimer(this.closeHandshakeTimer);
      this.closeHandshakeTimer = null;
      this.wasClean = true;
      if (this.isServer) this.dropConnection(true);
      else if (this.opts.serverConnectionDropTimeout > 0) {
        this.after(this.opts.serverConnectionDropTimeout, () => {
          this.wasClean = false;
          this.wasNotCleanReason = 'server did not drop TCP connection (in time)';
          this.wasServerConnectionDropTimeout = true;
          this.dropConnection(true);
        });
      }
    } else if (this.state === 'OPEN') {
      // The peer starts the closing handshake: reply, and as server close TCP right away.
      this.wasClean = true;
      if (this.opts.echoCloseCodeReason) {
        this.sendCloseFrame(code, reason ? Buffer.from(reason.subarray(0, 123)) : null, true);
      } else {
        this.sendCloseFrame(CloseCode.NORMAL, null, true);
      }
      if (this.isServer) this.dropConnection(false);
    }
  }

  private finishWhenDone(): void {
    const def = this.def;
    if (def.suppressClose || !def.expectedClose.closedByMe) return;
    for (const list of Object.values(def.expected)) {
      if (!eventsEqual(list, this.received)) return;
    }
    this.sendClose(def.expectedClose.closeCode[0]);
  }

  record(event: ObservedEvent): void {
    if (this.received.length >= MAX_RECORDED_EVENTS) {
      this.receivedDropped++;
      return;
    }
    if (event.kind === 'timeout') {
      this.received.push(event);
      return;
    }
    // Copy: a payload may be a view that pins a whole socket read buffer. Once the list is longer
    // than every expected list, no outcome can match any more and only the report's abbreviated
    // text is needed, so such events keep just their first octets (a flood cannot grow memory).
    const keep = this.received.length < this.longestExpected ? event.payload.length : DISPLAY_OCTETS;
    this.received.push({ ...event, payload: Buffer.from(event.payload.subarray(0, keep)) });
  }

  // ------------------------------------------------------------------ closing and failing

  /** Fail the WebSocket connection (reference engine: _fail_connection). */
  private fail(code: number, reason: string): void {
    if (this.state === 'CLOSED') return;
    this.failedByMe = true;
    if (this.opts.failByDrop) {
      this.wasClean = false;
      this.wasNotCleanReason = 'I failed the WebSocket connection by dropping the TCP connection';
      this.dropConnection(true);
    } else if (this.state === 'OPEN') {
      this.sendCloseFrame(code, truncateUtf8(Buffer.from(reason, 'utf8'), 123), false);
    } else {
      this.dropConnection(false);
    }
  }

  sendCloseFrame(code: number | null = null, reason: Uint8Array | null = null, isReply = false): void {
    if (this.state !== 'OPEN') return;
    this.sendFrame({ opcode: Opcode.CLOSE, payload: encodeClosePayload(code, reason) });
    this.state = 'CLOSING';
    this.closedByMe = !isReply;
    this.localCloseCode = code;
    this.localCloseReason = reason === null ? null : Buffer.from(reason);
    if (this.closedByMe && this.opts.closeHandshakeTimeout > 0) {
      this.closeHandshakeTimer = this.after(this.opts.closeHandshakeTimeout, () => {
        this.wasClean = false;
        this.wasNotCleanReason = 'peer did not respond (in time) in closing handshake';
        this.wasCloseHandshakeTimeout = true;
        this.dropConnection(true);
      });
    }
  }

  sendClose(code?: number, reason?: string): void {
    if (code !== undefined && code !== 1000 && !(code >= 3000 && code <= 4999)) {
      throw new Error(`invalid close code ${code} for the validated close API`);
    }
    let reasonBytes: Buffer | null = null;
    if (reason !== undefined) {
      if (code === undefined) throw new Error('a close reason requires a close code');
      reasonBytes = Buffer.from(reason, 'utf8');
      if (reasonBytes.length > 123) reasonBytes = Buffer.concat([truncateUtf8(reasonBytes, 120), Buffer.from('...')]);
    }
    this.sendCloseFrame(code ?? null, reasonBytes, false);
  }

  /** Close TCP ourselves (abort = reset at once; else graceful end). */
  private dropConnection(abort: boolean): void {
    if (this.state === 'CLOSED') return;
    this.droppedByMe = true;
    this.state = 'CLOSED';
    const socket = this.socket;
    if (!socket) {
      this.finish();
      return;
    }
    if (abort) socket.resetAndDestroy();
    else {
      socket.end();
      // A peer that never closes its side must not keep the case alive.
      this.after(this.opts.closeHandshakeTimeout > 0 ? this.opts.closeHandshakeTimeout : 1, () => socket.destroy(), true);
    }
  }

  // ------------------------------------------------------------------ send primitives

  sendFrame(frame: RawFrame): void {
    if (this.finished || this.socket === null) return;
    const base = frame.payload ?? EMPTY;
    const fin = frame.fin ?? true;
    const rsv = frame.rsv ?? 0;
    const masked = this.isServer ? this.opts.maskServerFrames : this.opts.maskClientFrames;
    const mask = masked ? randomMask() : null;
    const chop = frame.chop ?? null;
    const sync = frame.sync ?? false;
    this.log.txFrame(base, frame.opcode, fin, rsv, mask, frame.repeatLength ?? null, chop, sync);
    if (frame.opcode <= Opcode.BINARY) this.traffic.outgoingFrames++;
    const bytes = encodeFrame({
      opcode: frame.opcode,
      payload: base,
      fin,
      rsv,
      mask,
      repeatLength: frame.repeatLength ?? null,
      applyMask: this.opts.applyMask,
    });
    if (chop !== null && chop > 0) {
      for (let off = 0; off < bytes.length; off += chop) this.enqueue(bytes.subarray(off, off + chop), true);
    } else if (sync) {
      this.enqueue(bytes, true);
    } else {
      this.write(bytes);
    }
  }

  sendMessage(payload: Uint8Array, binary: boolean, options: { fragmentSize?: number; sync?: boolean } = {}): void {
    if (this.state !== 'OPEN') return;
    this.sendPrepared(this.prepareMessage(payload, binary), options);
  }

  prepareMessage(payload: Uint8Array, binary: boolean): PreparedMessage {
    let data: Buffer = Buffer.isBuffer(payload) ? payload : Buffer.from(payload);
    let compressed = false;
    if (this.deflater) {
      const out = this.deflater.compress(data);
      data = out.data;
      compressed = out.compressed;
    }
    return { binary, data, compressed, appLength: payload.length };
  }

  sendPrepared(message: PreparedMessage, options: { fragmentSize?: number; sync?: boolean } = {}): void {
    if (this.state !== 'OPEN') return;
    const opcode = message.binary ? Opcode.BINARY : Opcode.TEXT;
    const data = message.data;
    const rsv = message.compressed ? 4 : 0;
    this.traffic.outgoingApp += message.appLength;
    this.traffic.outgoingWebSocket += data.length;
    this.traffic.outgoingMessages++;
    const size = options.fragmentSize ?? this.autoFragmentSize;
    const sync = options.sync ?? false;
    if (size <= 0 || data.length <= size) {
      this.sendFrame({ opcode, payload: data, rsv, sync });
      return;
    }
    for (let off = 0; off < data.length; off += size) {
      const first = off === 0;
      this.sendFrame({
        opcode: first ? opcode : Opcode.CONTINUATION,
        payload: data.subarray(off, off + size),
        fin: off + size > data.length,
        rsv: first ? rsv : 0,
        sync,
      });
    }
    // Reference quirk: a length that is an exact multiple of the fragment size ends with an empty frame.
    if (data.length % size === 0) this.sendFrame({ opcode: Opcode.CONTINUATION, payload: EMPTY, fin: true, sync });
  }

  beginFrame(opcode: number, length: number, fin = false): void {
    const masked = this.isServer ? this.opts.maskServerFrames : this.opts.maskClientFrames;
    this.streamMask = masked ? Buffer.from(randomMask()) : null;
    this.streamKeyOffset = 0;
    this.write(encodeFrameHeader(opcode, fin, 0, length, this.streamMask));
  }

  sendFrameData(data: Uint8Array): void {
    const out = Buffer.from(data);
    if (this.streamMask && this.opts.applyMask) maskInPlace(out, this.streamMask, this.streamKeyOffset);
    this.streamKeyOffset = (this.streamKeyOffset + out.length) & 3;
    this.write(out);
  }

  setAutoFragmentSize(size: number): void {
    this.autoFragmentSize = size;
  }

  /** Default write: right away, unless queued writes are pending (order is kept). */
  private write(data: Buffer): void {
    if (this.queue.length > 0 || this.pumping) this.queue.push({ data, sync: false });
    else this.writeNow(data, false);
  }

  private enqueue(data: Buffer, sync: boolean): void {
    this.queue.push({ data, sync });
    if (!this.pumping) this.pump();
  }

  /** One queued write per event-loop turn, so each leaves as its own TCP segment. */
  private pump(): void {
    const item = this.queue.shift();
    if (item === undefined || this.finished) {
      this.pumping = false;
      return;
    }
    this.pumping = true;
    this.writeNow(item.data, item.sync);
    setImmediate(() => this.pump());
  }

  private writeNow(data: Buffer, sync: boolean): void {
    const socket = this.socket;
    if (socket === null || socket.destroyed || !socket.writable) return;
    this.log.txOctets(data, sync);
    if (this.state === 'OPEN' || this.state === 'CLOSING') this.traffic.outgoingWire += data.length;
    else if (this.state === 'CONNECTING') this.traffic.preopenOutgoing += data.length;
    socket.write(data);
    // Far beyond anything a case sends itself: the peer is not reading (e.g. it floods pings and
    // never reads the pongs). Stop reading until the backlog drains; the case timers still run.
    if (socket.writableLength > WRITE_BACKLOG_LIMIT && !socket.isPaused()) {
      socket.pause();
      socket.once('drain', () => socket.resume());
    }
  }

  // ------------------------------------------------------------------ timers

  /** setTimeout that is cleared when the session ends; `always` runs even once CLOSED. */
  private after(seconds: number, fn: () => void, always = false): NodeJS.Timeout {
    const t = setTimeout(() => {
      this.timers.delete(t);
      if (this.finished || (!always && this.state === 'CLOSED')) return;
      this.guard(fn);
    }, seconds * 1000);
    this.timers.add(t);
    return t;
  }

  private clearTimer(t: NodeJS.Timeout | null): void {
    if (t === null) return;
    clearTimeout(t);
    this.timers.delete(t);
  }

  private armOpenHandshakeTimer(): void {
    const limit = this.opts.openHandshakeTimeout;
    // With the timeout disabled the watchdog still bounds the wait.
    const seconds = limit > 0 ? limit : WATCHDOG_SLACK_MS / 1000 + 50;
    this.openHandshakeTimer = this.after(seconds, () => {
      if (this.state !== 'CONNECTING') return;
      this.wasClean = false;
      this.wasNotCleanReason = 'peer did not finish (in time) the opening handshake';
      this.wasOpenHandshakeTimeout = limit > 0;
      this.dropConnection(true);
    });
  }

  /**
   * The original can wait forever (e.g. as client, after replying to the server's Close, with no
   * kill timer pending). wsfuzz ends every case a bounded time after its last timer.
   */
  private armWatchdog(delaySeconds: number): void {
    if (this.hooks.unbounded) return;
    const deadline = performance.now() + delaySeconds * 1000 + WATCHDOG_SLACK_MS;
    if (deadline <= this.watchdogDeadline) return;
    this.watchdogDeadline = deadline;
    this.clearTimer(this.watchdog);
    this.watchdog = this.after(
      (deadline - performance.now()) / 1000,
      () => {
        if (this.state === 'CLOSED' && this.socket?.destroyed) return;
        this.wasClean = false;
        this.wasNotCleanReason ??= 'connection still open after the case time bound; dropped by wsfuzz';
        if (this.state !== 'CLOSED') this.dropConnection(true);
        else this.socket?.destroy();
      },
      true,
    );
  }

  killAfter(seconds: number): void {
    this.log.marker(['KL', seconds]);
    this.armWatchdog(seconds);
    this.after(seconds, () => {
      this.log.marker(['KLE']);
      this.fail(CloseCode.GOING_AWAY, DEFAULT_FAIL_REASON);
    });
  }

  closeAfter(seconds: number): void {
    this.log.marker(['TI', seconds]);
    this.armWatchdog(seconds);
    this.after(seconds, () => {
      this.log.marker(['TIE']);
      this.sendCloseFrame();
    });
  }

  continueLater(seconds: number, step: () => void, tag: string | null = null): void {
    this.log.marker(['CT', seconds, tag]);
    this.armWatchdog(seconds);
    this.after(seconds, () => {
      this.log.marker(['CTE', tag]);
      step();
    });
  }

  enableWirelog(enabled: boolean): void {
    if (this.log.enabled === enabled) return;
    this.log.marker(['WLM', enabled]);
    this.log.enabled = enabled;
  }

  setWirelog(enabled: boolean): void {
    this.log.enabled = enabled;
  }

  snapshotTrafficStats(): void {
    this.trafficSnapshot = this.traffic.snapshot();
  }
}

const EMPTY = Buffer.alloc(0);

/** Cut to at most `max` octets without splitting a UTF-8 sequence. */
function truncateUtf8(data: Buffer, max: number): Buffer {
  if (data.length <= max) return data;
  let end = max;
  while (end > 0 && (data[end]! & 0xc0) === 0x80) end--;
  return data.subarray(0, end);
}
