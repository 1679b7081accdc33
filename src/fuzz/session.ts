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

/** Stop reading while more than this waits to be written: a peer that floods pings but never reads. */
const WRITE_BACKLOG_LIMIT = 64 * 1024 * 1024;


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
    if (out.write !== null && socket !== null && !socket.destroyed && socket.writable) {
      socket.write(out.write.data);
      // Far beyond anything a case sends itself: the peer is not reading (e.g. it floods pings and
      // never reads the pongs). Stop reading until the backlog drains; the case timers still run.
      if (socket.writableLength > WRITE_BACKLOG_LIMIT && !socket.isPaused()) {
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
  }
}
