// Compressed messages shared between cases (docs/engine.md, Shared compressed messages).
//
// Several compression cases send the very same message sequence with the same compressor and differ
// only in how the compressed messages are cut into frames (12.j.10 and 12.j.15-18: 1000 messages of
// 131,072 octets, not fragmented or fragmented to 256, 1024, 4096 or 32768 octets). zlib is
// deterministic, so each of them would compute the same compressed octets. The first case to reach
// message k compresses it with the sequence's one deflater; the others take the stored octets. What
// goes on the wire is unchanged; only the fuzzer's CPU time is saved.
//
// Sans-I/O: the engine sees only the SharedCompression interface; where the octets are kept (a
// temporary file, src/modes/compression-files.ts) is the driver's business.
import type { CompressedMessage, MessageDeflater } from '../protocol/deflate.js';

/** A message's place in a sequence that several cases send (CaseDefinition.sharedSequence). */
export interface SequencePosition {
  /** Names the message sequence: the same name means the same messages in the same order. */
  sequence: string;
  /** 0-based; a case asks for 0, 1, 2, … in turn. */
  index: number;
}

export interface SharedCompression {
  /**
   * Message `position.index` of the sequence as compressed by a deflater of `variant`
   * (MessageDeflater.variant), or null when this sequence is not shared (the case compresses
   * itself). `payload` is the message; `createDeflater` makes the sequence's deflater when the
   * first case arrives. Only a case that starts at index 0 may join a sequence.
   */
  compressed(position: SequencePosition, variant: string, payload: Buffer, createDeflater: () => MessageDeflater): CompressedMessage | null;
  /**
   * The peer's compressed echo of message `position.index` as an earlier case inflated it to
   * exactly that message, for a connection whose inflater is in state `variant` (the peer's window
   * and context takeover; src/fuzz/known-echo.ts). 'wanted': none yet, and this is the next one to
   * record. Null: none, and none to record.
   */
  knownEcho(position: SequencePosition, variant: string): Buffer | 'wanted' | null;
  /** Keep a verified echo (the 'wanted' one). */
  recordEcho(position: SequencePosition, variant: string, octets: Buffer): void;
}

/** Where the compressed octets of shared sequences are kept. */
export interface CompressedStorage {
  /** Keep message `index` of stream `stream` (stream: sequence and variant). */
  put(stream: string, index: number, message: CompressedMessage): void;
  get(stream: string, index: number): CompressedMessage;
  /** The stream is no longer needed. */
  drop(stream: string): void;
  close(): void;
}

/** Storage in memory (tests; the file storage falls back to it). */
export class MemoryStorage implements CompressedStorage {
  private readonly streams = new Map<string, CompressedMessage[]>();

  /** Octets kept for `stream`, or for all streams. */
  size(stream?: string): number {
    const lists = stream === undefined ? [...this.streams.values()] : [this.streams.get(stream) ?? []];
    let total = 0;
    for (const list of lists) for (const m of list) total += m?.data.length ?? 0;
    return total;
  }

  put(stream: string, index: number, message: CompressedMessage): void {
    let list = this.streams.get(stream);
    if (!list) this.streams.set(stream, (list = []));
    list[index] = { data: Buffer.from(message.data), compressed: message.compressed };
  }

  get(stream: string, index: number): CompressedMessage {
    const m = this.streams.get(stream)?.[index];
    if (!m) throw new Error(`shared compressed message ${index} of ${stream} is not stored`);
    return m;
  }

  drop(stream: string): void {
    this.streams.delete(stream);
  }

  close(): void {
    this.streams.clear();
  }
}

interface Stream {
  sequence: string;
  deflater: MessageDeflater;
  /** Messages compressed so far (stored under 0 … produced − 1). */
  produced: number;
}

/**
 * The shared sequences of one run. Only sequences that at least two of the run's cases send are
 * shared (`uses`: the sequence of every case that will run, repeated per case); each finished case
 * gives its use back with release(), and a sequence nobody still needs is dropped.
 */
export class SharedCompressedStreams implements SharedCompression {
  private readonly remaining = new Map<string, number>();
  private readonly streams = new Map<string, Stream>();
  /** Verified echoes, by sequence and inflater state: how many are kept (0 … recorded − 1). */
  private readonly echoes = new Map<string, { sequence: string; recorded: number }>();

  constructor(
    uses: Iterable<string>,
    private readonly storage: CompressedStorage = new MemoryStorage(),
  ) {
    for (const sequence of uses) this.remaining.set(sequence, (this.remaining.get(sequence) ?? 0) + 1);
    for (const [sequence, count] of this.remaining) if (count < 2) this.remaining.delete(sequence);
  }

  compressed(position: SequencePosition, variant: string, payload: Buffer, createDeflater: () => MessageDeflater): CompressedMessage | null {
    const { sequence, index } = position;
    if (!this.remaining.has(sequence)) return null;
    const key = `${sequence}|${variant}`;
    let stream = this.streams.get(key);
    if (!stream) {
      if (index !== 0) return null;
      stream = { sequence, deflater: createDeflater(), produced: 0 };
      this.streams.set(key, stream);
    }
    if (index < stream.produced) {
      try {
        return this.storage.get(key, index);
      } catch {
        return null; // the case goes on with its own (fresh) deflater
      }
    }
    if (index > stream.produced) return null;
    const out = stream.deflater.compress(payload);
    this.storage.put(key, index, out);
    stream.produced++;
    return out;
  }

  knownEcho(position: SequencePosition, variant: string): Buffer | 'wanted' | null {
    if (!this.remaining.has(position.sequence)) return null;
    const key = `${position.sequence}|echo|${variant}`;
    const recorded = this.echoes.get(key)?.recorded ?? 0;
    if (position.index === recorded) return 'wanted';
    if (position.index > recorded) return null;
    try {
      return this.storage.get(key, position.index).data;
    } catch {
      return null; // not kept (storage budget): the message is inflated as usual
    }
  }

  recordEcho(position: SequencePosition, variant: string, octets: Buffer): void {
    if (!this.remaining.has(position.sequence)) return;
    const key = `${position.sequence}|echo|${variant}`;
    let entry = this.echoes.get(key);
    if (!entry) this.echoes.set(key, (entry = { sequence: position.sequence, recorded: 0 }));
    if (position.index !== entry.recorded) return;
    this.storage.put(key, position.index, { data: octets, compressed: true });
    entry.recorded++;
  }

  /** A case that was counted in `uses` is over (or will not run). */
  release(sequence: string | undefined): void {
    if (sequence === undefined) return;
    const left = this.remaining.get(sequence);
    if (left === undefined) return;
    if (left > 1) {
      this.remaining.set(sequence, left - 1);
      return;
    }
    this.remaining.delete(sequence);
    for (const [key, stream] of this.streams) {
      if (stream.sequence !== sequence) continue;
      stream.deflater.close();
      this.storage.drop(key);
      this.streams.delete(key);
    }
    for (const [key, echo] of this.echoes) {
      if (echo.sequence !== sequence) continue;
      this.storage.drop(key);
      this.echoes.delete(key);
    }
  }

  /** The run is over; cases still running (an interrupted run) compress their messages themselves. */
  close(): void {
    for (const stream of this.streams.values()) stream.deflater.close();
    this.streams.clear();
    this.echoes.clear();
    this.remaining.clear();
    this.storage.close();
  }
}
