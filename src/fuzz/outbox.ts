// The fuzzer's write model (docs/engine.md, Writes and turns), sans-I/O.
//
// A turn is one call into the engine: one read handled, one timer fired, a case's onOpen. Every
// write made during a turn joins that turn's group, and the driver sends the group with a single
// socket write, so a frame's header and payload, and the several frames of one case step, leave in
// one TCP segment (as they do in the original, whose event loop sends buffered writes once per turn).
//
// Queued writes (frames sent with `sync`, and the pieces of a chopped frame) leave one per turn:
// the first joins the current group, and each following one waits for the next turn, which the
// engine asks the driver for (`yieldTurn`). A plain write made while queued writes are pending
// goes behind them, to keep the order. Each write is logged (TO) when it joins a group.
import type { WireLog } from './wirelog.js';

/** What the driver writes at the end of a turn: one socket write. */
export interface WriteGroup {
  data: Buffer;
  /** The group holds a queued (sync) write. */
  sync: boolean;
}

interface QueuedWrite {
  data: Buffer;
  sync: boolean;
}

export class Outbox {
  private group: Buffer[] = [];
  private groupLength = 0;
  private groupSync = false;
  private readonly queue: QueuedWrite[] = [];
  private head = 0;
  /** A queued write went out this turn or an earlier one; the next waits for a new turn. */
  private draining = false;
  /** The queue started draining in this turn: its next write joins this turn's group too. */
  private burstStarted = false;
  /** Writes are discarded (the TCP connection can no longer be written to). */
  private closed = false;

  /** @param onWrite counts each write that joins a group (traffic statistics). */
  constructor(
    private readonly log: WireLog,
    private readonly onWrite: (octets: number) => void,
  ) {}

  /** A plain write: joins this turn's group, unless queued writes are pending (then it queues). */
  write(data: Buffer): void {
    if (this.draining || this.head < this.queue.length) this.enqueue(data, false);
    else this.emit(data, false);
  }

  /** A queued write: leaves in this turn if nothing is queued, else one turn after the previous one. */
  writeQueued(data: Buffer): void {
    this.enqueue(data, true);
  }

  /** A new turn granted after `yieldTurn`: the next queued write leaves. */
  nextTurn(): void {
    this.draining = false;
    this.pump();
  }

  /** The engine wants another turn for the queued writes. */
  get yieldTurn(): boolean {
    return this.draining && !this.closed;
  }

  /** This turn's group (null when nothing was written); the next turn starts empty. */
  takeGroup(): WriteGroup | null {
    if (this.burstStarted) {
      // The original's event loop runs the queue's short timer before it sends what the turn
      // wrote: the second queued write of a burst leaves with the first.
      this.burstStarted = false;
      this.nextTurn();
    }
    if (this.group.length === 0) return null;
    const data = this.group.length === 1 ? this.group[0]! : Buffer.concat(this.group, this.groupLength);
    const out = { data, sync: this.groupSync };
    this.group = [];
    this.groupLength = 0;
    this.groupSync = false;
    return out;
  }

  /** No more writes: the connection is gone (pending queued writes are dropped). */
  close(): void {
    this.closed = true;
    this.queue.length = 0;
    this.head = 0;
  }

  private enqueue(data: Buffer, sync: boolean): void {
    if (this.closed) return;
    this.queue.push({ data, sync });
    if (!this.draining) {
      this.burstStarted = true;
      this.pump();
    }
  }

  private pump(): void {
    if (this.head >= this.queue.length) {
      this.queue.length = 0;
      this.head = 0;
      return;
    }
    const item = this.queue[this.head]!;
    this.queue[this.head++] = undefined as unknown as QueuedWrite;
    this.draining = true;
    this.emit(item.data, item.sync);
  }

  private emit(data: Buffer, sync: boolean): void {
    if (this.closed) return;
    this.log.txOctets(data, sync);
    this.onWrite(data.length);
    this.group.push(data);
    this.groupLength += data.length;
    if (sync) this.groupSync = true;
  }
}
