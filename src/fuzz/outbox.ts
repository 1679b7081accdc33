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
//
// The pace between queued writes (`paceMs`): after a write that completes a frame, the next one
// waits at least QUEUED_FRAME_PACE_MS, so a peer that reads as soon as data arrives gets that frame
// before anything of the next (as from the original). A piece that leaves a frame unfinished is
// followed by the next piece one event-loop turn later: what a peer reads together inside one frame
// cannot change what it does, since it cannot act on the frame before its end has arrived.
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
  /** The write completes a frame (a whole frame, or the last piece of a chopped one). */
  endsFrame: boolean;
}

/**
 * The least time between a queued write that completes a frame and the next queued write: the
 * original's queue runs about 35–100 µs apart (docs/engine.md, Writes and turns).
 */
/**
 * 5 ms rather than the original's 35–100 µs: long enough that a peer on a busy machine still reads
 * each frame before the next arrives (with 1 ms a CPU hog beside the peer made 3.4, 4.1.5 and 4.2.5
 * flip against a whole-read peer in a third of the runs).
 */
export const QUEUED_FRAME_PACE_MS = 5;

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
  /** The last queued write that left completed a frame. */
  private lastEndedFrame = true;

  /** @param onWrite counts each write that joins a group (traffic statistics). */
  constructor(
    private readonly log: WireLog,
    private readonly onWrite: (octets: number) => void,
  ) {}

  /** A plain write: joins this turn's group, unless queued writes are pending (then it queues). */
  write(data: Buffer): void {
    if (this.draining || this.head < this.queue.length) this.enqueue(data, false, true);
    else this.emit(data, false);
  }

  /**
   * A queued write: leaves in this turn if nothing is queued, else one turn after the previous one.
   * @param endsFrame false for a piece of a chopped frame that more pieces of the frame follow
   */
  writeQueued(data: Buffer, endsFrame = true): void {
    this.enqueue(data, true, endsFrame);
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

  /** With yieldTurn: the least time from this turn's write to the next turn (0: the next turn). */
  get paceMs(): number {
    return this.lastEndedFrame ? QUEUED_FRAME_PACE_MS : 0;
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

  private enqueue(data: Buffer, sync: boolean, endsFrame: boolean): void {
    if (this.closed) return;
    this.queue.push({ data, sync, endsFrame });
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
    this.lastEndedFrame = item.endsFrame;
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
