// The driver of one fuzzing session: the only code (with the modes' listeners and dialers) that
// owns a socket and real timers. It feeds the sans-I/O engine (engine.ts) what arrives, the timers
// that fire and the turns it asks for, and performs what the engine returns: each turn's writes as
// one socket write (docs/engine.md, Writes and turns), timers, and the end of TCP.
import type { Socket } from 'node:net';
import { TLSSocket } from 'node:tls';
import type { ServerResponseCheck } from '../protocol/handshake.js';
import type { DeflateAgreement } from '../protocol/extensions.js';
import type { FuzzerOptions } from './options.js';
import type { CaseDefinition } from './case.js';
import { FuzzEngine, type EngineOutput, type SessionHooks } from './engine.js';
import type { SessionRecord } from './record.js';

export type { SessionRecord } from './record.js';
export { DEFAULT_FAIL_REASON, type SessionHooks } from './engine.js';

/**
 * Unsent data per connection (docs/engine.md, Writes and turns). The largest message a case sends
 * is 16 MiB, so a connection never holds much more while its peer reads. Past PAUSE wsfuzz stops
 * reading until the backlog drains (a peer that floods pings and never reads the pongs); past DROP
 * the peer is not reading at all and TCP is dropped.
 */
const WRITE_BACKLOG_PAUSE = 20 * 1024 * 1024;
const WRITE_BACKLOG_DROP = 32 * 1024 * 1024;
/**
 * Unsent data of all connections of the process together (fuzzingserver: many clients that never
 * read). A write that takes the total past it drops its connection if that holds a large backlog.
 */
const TOTAL_BACKLOG_DROP = 64 * 1024 * 1024;
/** Connections holding more than this unsent count towards the total (the others are negligible). */
const LARGE_BACKLOG = 1024 * 1024;
/** Connections whose backlog was large at their last write. */
const largeBacklogs = new Set<Socket>();

/** Why a connection is dropped for its backlog, or null while it is within the bounds. */
function backlogOverflow(socket: Socket): string | null {
  const own = socket.writableLength;
  if (own <= LARGE_BACKLOG) return null;
  if (own > WRITE_BACKLOG_DROP) return `peer did not read: write backlog over ${WRITE_BACKLOG_DROP / (1024 * 1024)} MiB; dropped by wsfuzz`;
  if (!largeBacklogs.has(socket)) {
    largeBacklogs.add(socket);
    const forget = () => largeBacklogs.delete(socket);
    socket.once('drain', forget);
    socket.once('close', forget);
  }
  let total = 0;
  for (const s of largeBacklogs) total += s.writableLength;
  if (total > TOTAL_BACKLOG_DROP) {
    return `peer did not read: write backlog of all connections over ${TOTAL_BACKLOG_DROP / (1024 * 1024)} MiB; dropped by wsfuzz`;
  }
  return null;
}


export class FuzzSession {
  readonly engine: FuzzEngine;
  readonly done: Promise<SessionRecord>;
  private resolveDone!: (record: SessionRecord) => void;
  private socket: Socket | null = null;
  private readonly timers = new Map<number, NodeJS.Timeout>();
  private turnPending = false;
  private finished = false;

  constructor(def: CaseDefinition, private readonly opts: FuzzerOptions, isServer: boolean, hooks: SessionHooks = {}) {
    this.engine = new FuzzEngine(def, opts, isServer, hooks);
    this.engine.onOutsideTurn = (out) => this.perform(out);
    this.done = new Promise((resolve) => (this.resolveDone = resolve));
  }

  /** Client role: the TCP connect failed; the case ends without a connection. */
  connectFailed(reason: string): void {
    this.perform(this.engine.connectFailed(reason));
  }

  /** Client role: TCP is up; send the opening handshake request. */
  startClient(socket: Socket, request: Parameters<FuzzEngine['startClient']>[0], check: ServerResponseCheck): void {
    this.attach(socket);
    this.perform(this.engine.startClient(request, check));
  }

  /** Server role: the request was read and accepted; send the response and open. */
  startServer(socket: Socket, requestChunks: Buffer[], requestHead: string, response: string, deflate: DeflateAgreement | null, rest: Buffer): void {
    this.attach(socket);
    this.perform(this.engine.startServer(requestChunks, requestHead, response, deflate, rest));
  }

  private attach(socket: Socket): void {
    this.socket = socket;
    socket.setNoDelay(this.opts.tcpNoDelay);
    socket.on('data', (chunk: Buffer) => this.perform(this.engine.receive(chunk)));
    socket.on('end', () => this.perform(this.engine.peerEnded()));
    socket.on('error', () => {
      /* 'close' follows; the record says how the connection ended */
    });
    socket.on('close', () => this.perform(this.engine.tcpClosed()));
  }

  private perform(out: EngineOutput): void {
    if (this.finished) return;
    const socket = this.socket;
    let overflow: string | null = null;
    if (out.write !== null && socket !== null && !socket.destroyed && socket.writable) {
      socket.write(out.write.data);
      overflow = backlogOverflow(socket);
      // Beyond anything a case sends itself: the peer is not reading (e.g. it floods pings and
      // never reads the pongs). Stop reading until the backlog drains; the case timers still run.
      if (socket.writableLength > WRITE_BACKLOG_PAUSE && !socket.isPaused()) {
        socket.pause();
        socket.once('drain', () => socket.resume());
      }
    }
    for (const request of out.timers) {
      if (request.kind === 'arm') {
        const id = request.id;
        this.timers.set(id, setTimeout(() => {
          this.timers.delete(id);
          this.perform(this.engine.timerFired(id));
        }, request.delayMs));
      } else {
        clearTimeout(this.timers.get(request.id));
        this.timers.delete(request.id);
      }
    }
    if (out.yieldTurn && !this.turnPending) {
      this.turnPending = true;
      // The next queued write waits for a later event-loop turn (which reads what arrived
      // meanwhile, e.g. the peer's Close) and, after a frame's last write, for the engine's pace (a
      // timer: other sessions and I/O run meanwhile, nothing blocks the process; docs/engine.md,
      // Writes and turns).
      const next = () => {
        this.turnPending = false;
        this.perform(this.engine.nextTurn());
      };
      if (out.paceMs > 0) setTimeout(next, out.paceMs);
      else setImmediate(next);
    }
    if (out.tcp !== null && socket !== null) {
      // A TLS socket has no TCP handle of its own to reset: it is destroyed instead.
      if (out.tcp === 'abort') socket instanceof TLSSocket ? socket.destroy() : socket.resetAndDestroy();
      else if (out.tcp === 'end') socket.end();
      else socket.destroy();
    }
    if (out.done !== null) {
      this.finished = true;
      for (const t of this.timers.values()) clearTimeout(t);
      this.timers.clear();
      this.resolveDone(out.done);
    }
    if (overflow !== null) this.perform(this.engine.peerNotReading(overflow));
  }
}
