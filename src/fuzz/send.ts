// The send primitives cases use (raw frames, messages, streamed frames), sans-I/O: frames are
// encoded, logged (TF) and counted here and handed to the outbox, which groups them per turn.
import { randomBytes } from 'node:crypto';
import { encodeFrame, encodeFrameHeader, Opcode } from '../protocol/frame.js';
import { maskInPlace } from '../protocol/mask.js';
import type { CompressedMessage, MessageDeflater } from '../protocol/deflate.js';
import type { PreparedMessage, RawFrame } from './case.js';
import type { SequencePosition, SharedCompression } from './shared-compression.js';
import type { FuzzerOptions } from './options.js';
import type { Outbox } from './outbox.js';
import type { CaseRecord } from './record.js';

const EMPTY = Buffer.alloc(0);

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

export interface SendOptions {
  fragmentSize?: number;
  sync?: boolean;
}

export class Sender {
  autoFragmentSize: number;
  /** Set when permessage-deflate is agreed: messages are compressed. */
  deflater: MessageDeflater | null = null;
  /** Compressed messages shared with other cases (null: every message is compressed here). */
  shared: SharedCompression | null = null;
  /**
   * Decided at the first compressed message: 'shared' when it came from `shared`, 'own' otherwise.
   * A case may leave a shared sequence (the store lost it) but never join one midway: the shared
   * deflater's messages refer back to what it compressed before, which the peer has only if it was
   * all sent here. Leaving is safe: the own deflater is then still fresh, and a message that refers
   * to nothing earlier is valid with or without context takeover (RFC 7692 §7.2.1).
   */
  private compression: 'undecided' | 'shared' | 'own' = 'undecided';
  private streamMask: Buffer | null = null;
  private streamKeyOffset = 0;
  private readonly masked: boolean;

  constructor(
    private readonly opts: FuzzerOptions,
    isServer: boolean,
    private readonly record: CaseRecord,
    private readonly outbox: Outbox,
  ) {
    this.autoFragmentSize = opts.autoFragmentSize;
    this.masked = isServer ? opts.maskServerFrames : opts.maskClientFrames;
  }

  /** One frame exactly as described; chopped pieces and sync frames are queued writes. */
  sendFrame(frame: RawFrame): void {
    const base = frame.payload ?? EMPTY;
    const fin = frame.fin ?? true;
    const rsv = frame.rsv ?? 0;
    const mask = this.masked ? randomMask() : null;
    const chop = frame.chop ?? null;
    const sync = frame.sync ?? false;
    const repeatLength = frame.repeatLength ?? null;
    this.record.wirelog.txFrame(base, frame.opcode, fin, rsv, mask, repeatLength, chop, sync);
    if (frame.opcode <= Opcode.BINARY) this.record.traffic.outgoingFrames++;
    const bytes = encodeFrame({ opcode: frame.opcode, payload: base, fin, rsv, mask, repeatLength, applyMask: this.opts.applyMask });
    if (chop !== null && chop > 0) {
      for (let off = 0; off < bytes.length; off += chop) this.outbox.writeQueued(bytes.subarray(off, off + chop), off + chop >= bytes.length);
    } else if (sync) {
      this.outbox.writeQueued(bytes);
    } else {
      this.outbox.write(bytes);
    }
  }

  prepareMessage(payload: Uint8Array, binary: boolean, position?: SequencePosition): PreparedMessage {
    let data: Buffer = Buffer.isBuffer(payload) ? payload : Buffer.from(payload);
    let compressed = false;
    if (this.deflater) {
      const out = this.compress(this.deflater, data, position);
      data = out.data;
      compressed = out.compressed;
    }
    return { binary, data, compressed, appLength: payload.length };
  }

  private compress(deflater: MessageDeflater, data: Buffer, position: SequencePosition | undefined): CompressedMessage {
    const ask = this.compression === 'shared' || (this.compression === 'undecided' && position?.index === 0);
    if (ask && position && this.shared) {
      const out = this.shared.compressed(position, deflater.variant, data, () => deflater.clone());
      if (out) {
        this.compression = 'shared';
        return out;
      }
    }
    this.compression = 'own';
    return deflater.compress(data);
  }

  sendPrepared(message: PreparedMessage, options: SendOptions = {}): void {
    const opcode = message.binary ? Opcode.BINARY : Opcode.TEXT;
    const data = message.data;
    const rsv = message.compressed ? 4 : 0;
    const traffic = this.record.traffic;
    traffic.outgoingApp += message.appLength;
    traffic.outgoingWebSocket += data.length;
    traffic.outgoingMessages++;
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
    // The original's quirk: a length that is an exact multiple of the fragment size ends with an empty frame.
    if (data.length % size === 0) this.sendFrame({ opcode: Opcode.CONTINUATION, payload: EMPTY, fin: true, sync });
  }

  /** Streaming: a frame header now, its payload in later sendFrameData calls (masked with one key). */
  beginFrame(opcode: number, length: number, fin: boolean): void {
    this.streamMask = this.masked ? Buffer.from(randomMask()) : null;
    this.streamKeyOffset = 0;
    this.outbox.write(encodeFrameHeader(opcode, fin, 0, length, this.streamMask));
  }

  sendFrameData(data: Uint8Array): void {
    const out = Buffer.from(data);
    if (this.streamMask && this.opts.applyMask) maskInPlace(out, this.streamMask, this.streamKeyOffset);
    this.streamKeyOffset = (this.streamKeyOffset + out.length) & 3;
    this.outbox.write(out);
  }
}
