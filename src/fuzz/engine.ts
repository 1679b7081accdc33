// One case over one connection as a sans-I/O state machine (docs/engine.md). It never touches a
// socket or a real timer: the driver (session.ts) feeds it what arrived, the timers that fired and
// new turns, and performs what each call returns: one write group, timer requests, a TCP action,
// and at the end the case record.
//
//   startClient / startServer / connectFailed     the connection exists (or does not)
//   receive(bytes) / peerEnded() / tcpClosed()    what happened on TCP
//   timerFired(id) / nextTurn()                   clock ticks
import type { WireLogEntry } from './wirelog.js';
import { splitHead, headText } from '../protocol/http.js';
import { checkServerResponse, type ServerResponseCheck } from '../protocol/handshake.js';
import type { DeflateAgreement } from '../protocol/extensions.js';
import { defaultEngine, MessageDeflater } from '../protocol/deflate.js';

/**
 * The zlib level the fuzzer compresses its messages with (categories 12 and 13). Any valid DEFLATE
 * stream must inflate to the same message (RFC 7692 §7.2.2), so the level cannot change what a peer
 * must echo; level 1 costs a fraction of zlib's default 6 (COMPATIBILITY.md, permessage-deflate).
 */
const FUZZER_DEFLATE_LEVEL = 1;
import { CloseCode } from '../protocol/close.js';
import { Opcode } from '../protocol/frame.js';
import { eventsEqual, type ObservedEvent } from './events.js';
import type { FuzzerOptions } from './options.js';
import type { CaseDefinition, CaseHandlers, CaseSession, ConnectionState, PreparedMessage, RawFrame } from './case.js';
import { CaseRecord, type SessionRecord } from './record.js';
import { Outbox, type WriteGroup } from './outbox.js';
import { Sender, type SendOptions } from './send.js';
import type { SequencePosition, SharedCompression } from './shared-compression.js';
import type { ExpectedEcho } from './known-echo.js';
import { Receiver } from './receive.js';
import { Closing, type TcpAction } from './closing.js';
import { TimerTable, type TimerRequest } from './timers.js';

/** Slack added to the longest case timer before the watchdog ends a connection that never closes. */
const WATCHDOG_SLACK_MS = 10_000;

export const DEFAULT_FAIL_REASON = 'Going Away';

export interface SessionHooks {
  /** Decide at open whether this (agent, case) is excluded; the session then closes at once. */
  isExcluded?: (serverHeader: string | null) => boolean;
  /**
   * No case time bound: for control connections (fuzzingserver's /getCaseStatus waits for a
   * result as long as the client keeps the connection open).
   */
  unbounded?: boolean;
  /** Compressed messages shared between the run's cases (src/fuzz/shared-compression.ts). */
  compression?: SharedCompression;
}

/** The engine's clock: monotonic milliseconds, and the wall clock for the report's start time. */
export interface EngineClock {
  now(): number;
  date(): Date;
}

export const SYSTEM_CLOCK: EngineClock = { now: () => performance.now(), date: () => new Date() };

/** What the driver does after a call into the engine, in this order. */
export interface EngineOutput {
  /** This turn's writes: one socket write. */
  write: WriteGroup | null;
  timers: TimerRequest[];
  /** Queued writes are pending: call nextTurn() in a later event-loop turn. */
  yieldTurn: boolean;
  /** With yieldTurn: call nextTurn() no sooner than this many milliseconds after this write. */
  paceMs: number;
  tcp: TcpAction | null;
  /** The session is over (the driver cancels its timers and resolves with this record). */
  done: SessionRecord | null;
}

export class FuzzEngine implements CaseSession {
  state: ConnectionState = 'CONNECTING';
  behavior = 'FAILED';
  result = 'Actual events differ from any expected.';

  readonly caseRecord: CaseRecord;
  readonly timers = new TimerTable();
  readonly sender: Sender;
  private readonly outbox: Outbox;
  private readonly receiver: Receiver;
  private readonly closing: Closing;

  private handlers: CaseHandlers | null = null;
  private readonly started: Date;
  private readonly startedAt: number;
  private openedAt = 0;
  private deflateAgreed = false;
  private tcp: TcpAction | null = null;
  private finished: SessionRecord | null = null;
  private handshakeCheck: ServerResponseCheck | null = null;
  private handshakeBuf: Buffer[] = [];
  private handshakeLen = 0;
  private openHandshakeTimer: number | null = null;
  private watchdog: number | null = null;
  private watchdogDeadline = 0;

  constructor(
    private readonly def: CaseDefinition,
    readonly opts: FuzzerOptions,
    readonly isServer: boolean,
    private readonly hooks: SessionHooks = {},
    private readonly clock: EngineClock = SYSTEM_CLOCK,
  ) {
    this.started = clock.date();
    this.startedAt = clock.now();
    this.caseRecord = new CaseRecord(Math.max(0, ...Object.values(def.expected).map((list) => list.length)));
    const traffic = this.caseRecord.traffic;
    this.outbox = new Outbox(this.caseRecord.wirelog, (octets) => {
      if (this.state === 'OPEN' || this.state === 'CLOSING') traffic.outgoingWire += octets;
      else if (this.state === 'CONNECTING') traffic.preopenOutgoing += octets;
    });
    this.sender = new Sender(opts, isServer, this.caseRecord, this.outbox);
    this.sender.shared = hooks.compression ?? null;
    this.closing = new Closing(this);
    const engine = this;
    this.receiver = new Receiver(
      {
        get state() {
          return engine.state;
        },
        fail: (code, reason) => this.closing.fail(code, reason),
        onMessage: (payload, binary) => this.onMessage(payload, binary),
        onPing: (payload) => {
          if (this.state === 'OPEN') this.sender.sendFrame({ opcode: Opcode.PONG, payload });
        },
        onPong: (payload) => this.onObserved({ kind: 'pong', payload }),
        onClose: (payload) => this.closing.onCloseFrame(payload),
      },
      opts,
      isServer,
      this.caseRecord,
    );
    this.receiver.shared = hooks.compression ?? null;
  }

  get deflateActive(): boolean {
    return this.deflateAgreed;
  }

  // ------------------------------------------------------------------ inputs

  /** Client role: the TCP connect failed; the case ends without a connection. */
  connectFailed(reason: string): EngineOutput {
    return this.turn(() => {
      this.caseRecord.connectError = reason;
      this.caseRecord.wasNotCleanReason = reason;
      this.state = 'CLOSED';
      this.finish();
    });
  }

  /**
   * Client role: TCP is up; send the opening handshake request. A request given as chunks (a case's
   * own handshake, src/fuzz/handshake-case.ts) is written chunk by chunk, `paceSeconds` apart.
   */
  startClient(request: string | { text: string; chunks: Buffer[]; paceSeconds: number }, check: ServerResponseCheck): EngineOutput {
    return this.turn(() => {
      this.caseRecord.connected = true;
      this.handshakeCheck = check;
      this.armOpenHandshakeTimer();
      if (typeof request === 'string') {
        this.caseRecord.httpRequest = request;
        this.outbox.write(Buffer.from(request, 'latin1'));
        return;
      }
      this.caseRecord.httpRequest = request.text;
      request.chunks.forEach((chunk, i) => {
        if (i === 0) this.outbox.write(chunk);
        else this.timers.arm(i * request.paceSeconds, () => this.outbox.write(chunk));
      });
    });
  }

  /**
   * Server role: the request was read (its raw chunks are logged here) and accepted; send the
   * response and open. `rest` is whatever arrived after the request head.
   */
  startServer(requestChunks: Buffer[], requestHead: string, response: string, deflate: DeflateAgreement | null, rest: Buffer): EngineOutput {
    return this.turn(() => {
      const record = this.caseRecord;
      record.connected = true;
      for (const chunk of requestChunks) {
        record.wirelog.rxOctets(chunk);
        record.traffic.preopenIncoming += chunk.length;
      }
      record.traffic.preopenIncoming -= rest.length;
      record.traffic.incomingWire += rest.length;
      record.httpRequest = requestHead;
      record.httpResponse = response;
      this.outbox.write(Buffer.from(response, 'latin1'));
      this.open(deflate);
      if (rest.length > 0 && (this.state === 'OPEN' || this.state === 'CLOSING')) this.receiver.push(rest);
    });
  }

  /** Octets read from TCP. */
  receive(chunk: Buffer): EngineOutput {
    return this.turn(() => {
      this.caseRecord.wirelog.rxOctets(chunk);
      if (this.state === 'CONNECTING') {
        this.caseRecord.traffic.preopenIncoming += chunk.length;
        this.onHandshakeData(chunk);
      } else if (this.state === 'OPEN' || this.state === 'CLOSING') {
        this.caseRecord.traffic.incomingWire += chunk.length;
        this.receiver.push(chunk);
      }
    });
  }

  /** The peer ended its side of TCP: nothing more can be written. */
  peerEnded(): EngineOutput {
    return this.turn(() => this.outbox.close());
  }

  /** The TCP connection is gone. */
  tcpClosed(): EngineOutput {
    return this.turn(() => {
      if (this.finished) return;
      this.state = 'CLOSED';
      const record = this.caseRecord;
      if (!record.wasClean && !record.droppedByMe && record.wasNotCleanReason === null) {
        record.wasNotCleanReason = 'peer dropped the TCP connection without previous WebSocket closing handshake';
      }
      this.finish();
    });
  }

  /**
   * The driver's bound on unsent data was reached: the peer does not read what it is sent. TCP is
   * dropped (by wsfuzz) and the case ends with this reason.
   */
  peerNotReading(reason: string): EngineOutput {
    return this.turn(() => {
      if (this.finished) return;
      this.caseRecord.wasClean = false;
      this.caseRecord.wasNotCleanReason = reason;
      if (this.state !== 'CLOSED') this.closing.drop(true);
      else this.closeTcp('destroy');
    });
  }

  timerFired(id: number): EngineOutput {
    return this.turn(() => {
      const timer = this.timers.fired(id);
      if (timer === undefined || this.finished || (!timer.always && this.state === 'CLOSED')) return;
      timer.run();
    });
  }

  /** The next event-loop turn the engine asked for (yieldTurn). */
  nextTurn(): EngineOutput {
    return this.turn(() => {
      if (!this.finished) this.outbox.nextTurn();
    });
  }

  // ------------------------------------------------------------------ turns and lifecycle

  /**
   * Where the output of a turn the engine did not get from the driver goes: case code called from
   * outside any turn (fuzzingserver's /getCaseStatus answers when a result arrives).
   */
  onOutsideTurn: ((out: EngineOutput) => void) | null = null;
  private inTurn = false;

  private turn(fn: () => void): EngineOutput {
    this.inTurn = true;
    try {
      this.guard(fn);
    } finally {
      this.inTurn = false;
    }
    const out: EngineOutput = {
      write: this.outbox.takeGroup(),
      timers: this.timers.take(),
      yieldTurn: this.outbox.yieldTurn,
      paceMs: this.outbox.paceMs,
      tcp: this.tcp,
      done: this.finished,
    };
    this.tcp = null;
    return out;
  }

  /** Run case code; a throw is a wsfuzz bug: record it and end the connection instead of crashing. */
  private guard(fn: () => void): void {
    try {
      fn();
    } catch (err) {
      const record = this.caseRecord;
      record.internalError = err instanceof Error ? (err.stack ?? err.message) : String(err);
      record.wasNotCleanReason ??= `wsfuzz internal error: ${err instanceof Error ? err.message : String(err)}`;
      this.closing.drop(true);
    }
  }

  /** Closing logic's request to end TCP; writes already grouped in this turn still leave first. */
  closeTcp(action: TcpAction): void {
    this.tcp = action;
    this.outbox.close();
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
    this.caseRecord.httpResponse = text;
    const check = checkServerResponse(text, this.handshakeCheck);
    if (!check.ok) {
      this.failHandshake(check.reason);
      return;
    }
    this.caseRecord.serverHeader = check.server;
    this.open(check.deflate);
    if (split.rest.length > 0 && (this.state === 'OPEN' || this.state === 'CLOSING')) {
      // Frames that came in the same read as the end of the head are open-state traffic.
      this.caseRecord.traffic.preopenIncoming -= split.rest.length;
      this.caseRecord.traffic.incomingWire += split.rest.length;
      this.receiver.push(split.rest);
    }
  }

  private failHandshake(reason: string): void {
    this.caseRecord.wasNotCleanReason = reason;
    this.closing.drop(true);
  }

  private open(deflate: DeflateAgreement | null): void {
    this.timers.cancel(this.openHandshakeTimer);
    this.openHandshakeTimer = null;
    this.state = 'OPEN';
    this.caseRecord.connectionWasOpen = true;
    this.openedAt = this.clock.now();
    if (deflate) {
      this.deflateAgreed = true;
      // Window and context per direction: ours is "client" in the client role, "server" otherwise.
      const ourBits = this.isServer ? deflate.serverMaxWindowBits : deflate.clientMaxWindowBits;
      const ourReset = this.isServer ? deflate.serverNoContextTakeover : deflate.clientNoContextTakeover;
      const peerBits = this.isServer ? deflate.clientMaxWindowBits : deflate.serverMaxWindowBits;
      const peerReset = this.isServer ? deflate.clientNoContextTakeover : deflate.serverNoContextTakeover;
      this.sender.deflater = new MessageDeflater(ourBits ?? 15, ourReset, defaultEngine, FUZZER_DEFLATE_LEVEL);
      this.receiver.enableDeflate(peerBits ?? 15, peerReset);
    }
    this.armWatchdog(0);
    if (this.hooks.isExcluded?.(this.caseRecord.serverHeader)) {
      this.caseRecord.excluded = true;
      this.closing.sendCloseFrame();
      return;
    }
    this.handlers = this.def.onOpen(this) ?? null;
  }

  private finish(): void {
    if (this.finished) return;
    this.timers.cancelAll();
    this.outbox.close();
    this.sender.deflater?.close();
    this.receiver.close();
    const end = this.clock.now();
    this.finished = this.caseRecord.freeze({
      isServer: this.isServer,
      started: this.started,
      // Measured from open; a case that never opened reports its real elapsed time.
      durationMs: Math.round(end - (this.caseRecord.connectionWasOpen ? this.openedAt : this.startedAt)),
      behavior: this.behavior,
      result: this.result,
    });
  }

  // ------------------------------------------------------------------ what the peer sent

  private onMessage(payload: Buffer, binary: boolean): void {
    if (this.handlers) this.handlers.onMessage(payload, binary);
    else this.onObserved({ kind: 'message', payload, binary });
  }

  private onObserved(event: ObservedEvent): void {
    this.caseRecord.record(event);
    const def = this.def;
    if (def.suppressClose || !def.expectedClose.closedByMe) return;
    for (const list of Object.values(def.expected)) {
      if (!eventsEqual(list, this.caseRecord.received)) return;
    }
    this.closing.sendClose(def.expectedClose.closeCode[0]);
  }

  // ------------------------------------------------------------------ timers

  private armOpenHandshakeTimer(): void {
    const limit = this.opts.openHandshakeTimeout;
    // With the timeout disabled the watchdog still bounds the wait.
    const seconds = limit > 0 ? limit : WATCHDOG_SLACK_MS / 1000 + 50;
    this.openHandshakeTimer = this.timers.arm(seconds, () => {
      if (this.state !== 'CONNECTING') return;
      this.caseRecord.wasClean = false;
      this.caseRecord.wasNotCleanReason = 'peer did not finish (in time) the opening handshake';
      this.caseRecord.wasOpenHandshakeTimeout = limit > 0;
      this.closing.drop(true);
    });
  }

  /**
   * The original can wait forever (e.g. as client, after replying to the server's Close, with no
   * kill timer pending). wsfuzz ends every case a bounded time after its last timer.
   */
  private armWatchdog(delaySeconds: number): void {
    if (this.hooks.unbounded) return;
    const now = this.clock.now();
    const deadline = now + delaySeconds * 1000 + WATCHDOG_SLACK_MS;
    if (deadline <= this.watchdogDeadline) return;
    this.watchdogDeadline = deadline;
    this.timers.cancel(this.watchdog);
    this.watchdog = this.timers.arm(
      (deadline - now) / 1000,
      () => {
        this.caseRecord.wasClean = false;
        this.caseRecord.wasNotCleanReason ??= 'connection still open after the case time bound; dropped by wsfuzz';
        if (this.state !== 'CLOSED') this.closing.drop(true);
        else this.closeTcp('destroy');
      },
      true,
    );
  }

  // ------------------------------------------------------------------ CaseSession

  /** Case code called from outside any turn is a turn of its own. */
  private act(fn: () => void): void {
    if (this.inTurn) fn();
    else this.onOutsideTurn?.(this.turn(fn));
  }

  sendFrame(frame: RawFrame): void {
    if (this.finished) return;
    this.act(() => this.sender.sendFrame(frame));
  }

  sendMessage(payload: Uint8Array, binary: boolean, options: SendOptions = {}): void {
    if (this.state !== 'OPEN') return;
    this.act(() => this.sender.sendPrepared(this.sender.prepareMessage(payload, binary), options));
  }

  prepareMessage(payload: Uint8Array, binary: boolean, position?: SequencePosition): PreparedMessage {
    return this.sender.prepareMessage(payload, binary, position);
  }

  expectEcho(expected: ExpectedEcho): void {
    this.receiver.expectEcho(expected);
  }

  sendPrepared(message: PreparedMessage, options: SendOptions = {}): void {
    if (this.state !== 'OPEN') return;
    this.act(() => this.sender.sendPrepared(message, options));
  }

  beginFrame(opcode: number, length: number, fin = false): void {
    this.act(() => this.sender.beginFrame(opcode, length, fin));
  }

  sendFrameData(data: Uint8Array): void {
    this.act(() => this.sender.sendFrameData(data));
  }

  sendCloseFrame(code: number | null = null, reason: Uint8Array | null = null): void {
    this.act(() => this.closing.sendCloseFrame(code, reason, false));
  }

  sendClose(code?: number, reason?: string): void {
    this.act(() => this.closing.sendClose(code, reason));
  }

  setAutoFragmentSize(size: number): void {
    this.sender.autoFragmentSize = size;
  }

  killAfter(seconds: number): void {
    this.markedTimer(['KL', seconds], ['KLE'], seconds, () => this.closing.fail(CloseCode.GOING_AWAY, DEFAULT_FAIL_REASON));
  }

  closeAfter(seconds: number): void {
    this.markedTimer(['TI', seconds], ['TIE'], seconds, () => this.closing.sendCloseFrame());
  }

  continueLater(seconds: number, step: () => void, tag: string | null = null): void {
    this.markedTimer(['CT', seconds, tag], ['CTE', tag], seconds, step);
  }

  /** A case timer: a wire-log marker when armed and another when it fires, then `fn` (docs/engine.md, Timers). */
  private markedTimer(armed: WireLogEntry, fired: WireLogEntry, seconds: number, fn: () => void): void {
    this.act(() => {
      this.caseRecord.wirelog.marker(armed);
      this.armWatchdog(seconds);
      this.timers.arm(seconds, () => {
        this.caseRecord.wirelog.marker(fired);
        fn();
      });
    });
  }

  enableWirelog(enabled: boolean): void {
    const log = this.caseRecord.wirelog;
    if (log.enabled === enabled) return;
    log.marker(['WLM', enabled]);
    log.enabled = enabled;
  }

  setWirelog(enabled: boolean): void {
    this.caseRecord.wirelog.enabled = enabled;
  }

  record(event: ObservedEvent): void {
    this.caseRecord.record(event);
  }

  snapshotTrafficStats(): void {
    this.caseRecord.snapshotTrafficStats();
  }
}
