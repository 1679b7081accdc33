// permessage-deflate message codec (RFC 7692 §7.2) on node:zlib, synchronous and bounded.
//
// Node offers no public *persistent* synchronous zlib stream: its one-shot *Sync functions close
// the stream after each call. Two engines are therefore provided behind one interface:
//  - "stream": drives a zlib stream's native handle synchronously (what Node's own *Sync functions
//    do internally). Fast, keeps a real context, inflates frame by frame. Uses Node internals,
//    so it is verified by a round trip at load time and used only if that works.
//  - "oneshot": public API only. Context takeover is reproduced by passing the previous window as
//    a preset dictionary (RFC 1951 back-references can only reach that far); inflation happens
//    once per message.
import zlib from 'node:zlib';

const { Z_SYNC_FLUSH } = zlib.constants;
const TAIL = Buffer.from([0x00, 0x00, 0xff, 0xff]);
const EMPTY = Buffer.alloc(0);
const OUT_CHUNK = 64 * 1024;

export class InflateError extends Error {
  constructor(
    message: string,
    /** The message exceeded the output limit (as opposed to corrupt data). */
    readonly tooLarge = false,
  ) {
    super(message);
  }
}

interface ZlibInternals {
  _handle: { writeSync(flush: number, input: Buffer, inOff: number, inLen: number, out: Buffer, outOff: number, outLen: number): void } | null;
  _writeState: Uint32Array;
  errored: Error | null;
}

/** A zlib stream driven synchronously through its native handle. */
class SyncZlib {
  private readonly z: zlib.DeflateRaw | zlib.InflateRaw;
  private readonly internals: ZlibInternals;
  private readonly out = Buffer.allocUnsafe(OUT_CHUNK);
  /** True once the stream reported its end (a final DEFLATE block). */
  ended = false;

  constructor(z: zlib.DeflateRaw | zlib.InflateRaw) {
    this.z = z;
    z.on('error', () => {
      /* reported synchronously through `errored` */
    });
    this.internals = z as unknown as ZlibInternals;
  }

  /** Feed `input` with a sync flush; output beyond `limit` octets throws InflateError. */
  run(input: Buffer, limit: number): { output: Buffer; unused: number } {
    const handle = this.internals._handle;
    if (handle === null) throw new InflateError('compression context closed');
    const state = this.internals._writeState;
    const parts: Buffer[] = [];
    let total = 0;
    let inOff = 0;
    let inLen = input.length;
    for (;;) {
      handle.writeSync(Z_SYNC_FLUSH, input, inOff, inLen, this.out, 0, OUT_CHUNK);
      const err = this.internals.errored;
      if (err) throw new InflateError(err.message);
      const availOut = state[0]!;
      const availIn = state[1]!;
      const have = OUT_CHUNK - availOut;
      if (have > 0) {
        total += have;
        if (total > limit) throw new InflateError(`message exceeds payload limit of ${limit} octets`, true);
        const part = Buffer.allocUnsafe(have);
        this.out.copy(part, 0, 0, have);
        parts.push(part);
      }
      inOff += inLen - availIn;
      inLen = availIn;
      if (availOut !== 0) {
        // Output space left but input not consumed: the stream has ended (final block).
        if (inLen > 0) this.ended = true;
        break;
      }
    }
    return { output: parts.length === 1 ? parts[0]! : Buffer.concat(parts, total), unused: inLen };
  }

  /** Forget the context (zlib's deflateReset/inflateReset): cheaper than a new stream. */
  reset(): void {
    this.z.reset();
    this.ended = false;
  }

  close(): void {
    this.z.close();
  }
}

function selfTest(): boolean {
  try {
    const d = new SyncZlib(zlib.createDeflateRaw());
    const i = new SyncZlib(zlib.createInflateRaw());
    const msg = Buffer.from('permessage-deflate self test, permessage-deflate self test');
    const first = d.run(msg, Infinity).output;
    const second = d.run(msg, Infinity).output;
    const ok =
      i.run(first, Infinity).output.equals(msg) && i.run(second, Infinity).output.equals(msg) && second.length < first.length;
    d.close();
    i.close();
    return ok;
  } catch {
    return false;
  }
}

export type DeflateEngine = 'stream' | 'oneshot';

/** The engine in use; "oneshot" when the Node internals are not what this module expects. */
export const defaultEngine: DeflateEngine = selfTest() ? 'stream' : 'oneshot';

/**
 * The last `size` octets of everything appended (the LZ77 window of one direction). Appends only
 * keep references (no copying per frame); the octets are joined when a dictionary is needed.
 */
class Window {
  private chunks: Buffer[] = [];
  private length = 0;
  constructor(private readonly size: number) {}
  /** `chunk` must not be modified afterwards. */
  append(chunk: Buffer): void {
    if (chunk.length === 0) return;
    this.chunks.push(chunk);
    this.length += chunk.length;
    // Drop chunks that lie entirely before the window.
    while (this.chunks.length > 1 && this.length - this.chunks[0]!.length >= this.size) {
      this.length -= this.chunks.shift()!.length;
    }
  }
  get bytes(): Buffer {
    const joined = this.chunks.length === 1 ? this.chunks[0]! : Buffer.concat(this.chunks, this.length);
    const view = joined.length > this.size ? joined.subarray(joined.length - this.size) : joined;
    this.chunks = view.length > 0 ? [view] : [];
    this.length = view.length;
    return view;
  }
  clear(): void {
    this.chunks = [];
    this.length = 0;
  }
}

export interface CompressedMessage {
  data: Buffer;
  /** False when the message is sent as is (RSV1 = 0). */
  compressed: boolean;
}

/** Compresses outgoing messages: deflate, sync flush, trailing 00 00 ff ff removed. */
export class MessageDeflater {
  private stream: SyncZlib | null = null;
  private readonly window: Window;

  /**
   * @param windowBits LZ77 window the peer inflates with. zlib cannot compress with 8 (Node
   *   silently uses 9, which the peer would reject), so with 8 messages are sent uncompressed,
   *   which RFC 7692 §6 allows.
   * @param noContextTakeover reset the context before every message.
   * @param level zlib compression level (1 fastest … 9 smallest; zlib's default 6).
   */
  constructor(
    private readonly windowBits: number,
    private readonly noContextTakeover: boolean,
    private readonly engine: DeflateEngine = defaultEngine,
    private readonly level = 6,
  ) {
    this.window = new Window(1 << windowBits);
  }

  private options(): zlib.ZlibOptions {
    // memLevel only sizes zlib's hash table (speed, not validity). Measured on the category-12
    // payloads at level 1: 9 is 5–35 % faster than zlib's default 8 for windows of 12 bits and
    // more; with a 9-bit window, where zlib rescans the table every 512 octets, 8 is faster.
    const memLevel = this.windowBits >= 12 ? 9 : 8;
    return { level: this.level, memLevel, strategy: zlib.constants.Z_DEFAULT_STRATEGY, windowBits: this.windowBits };
  }

  /**
   * Everything that decides the output besides the messages: two deflaters with the same variant
   * turn the same message sequence into the same octets (zlib is deterministic).
   */
  get variant(): string {
    return `w${this.windowBits}-${this.noContextTakeover ? 'reset' : 'takeover'}-L${this.level}-${this.engine}`;
  }

  /** A fresh deflater of the same variant, at the start of its stream. */
  clone(): MessageDeflater {
    return new MessageDeflater(this.windowBits, this.noContextTakeover, this.engine, this.level);
  }

  compress(message: Buffer): CompressedMessage {
    if (this.windowBits < 9) return { data: message, compressed: false };
    let out: Buffer;
    if (this.engine === 'stream') {
      if (this.stream === null) this.stream = new SyncZlib(zlib.createDeflateRaw(this.options()));
      else if (this.noContextTakeover) this.stream.reset();
      out = this.stream.run(message, Infinity).output;
    } else {
      const options: zlib.ZlibOptions = { ...this.options(), finishFlush: Z_SYNC_FLUSH };
      if (!this.noContextTakeover && this.window.bytes.length > 0) options.dictionary = this.window.bytes;
      out = zlib.deflateRawSync(message, options);
      if (!this.noContextTakeover) this.window.append(message);
    }
    // A sync flush always ends with an empty stored block 00 00 ff ff (RFC 7692 §7.2.1).
    // Exception: zlib writes nothing at all for an empty message right after an earlier flush
    // (stream engine, context takeover). The payload is then that empty block's header octet 00.
    if (out.length === 0) return { data: Buffer.from([0x00]), compressed: true };
    return { data: out.subarray(0, out.length - 4), compressed: true };
  }

  close(): void {
    this.stream?.close();
    this.stream = null;
  }
}

/** Inflates incoming compressed messages; output per message is bounded by `limit`. */
export class MessageInflater {
  private stream: SyncZlib | null = null;
  private readonly window: Window;
  /** oneshot engine: compressed octets of the current message. */
  private pending: Buffer[] = [];
  private pendingLength = 0;
  private produced = 0;

  constructor(
    private readonly windowBits: number,
    private readonly noContextTakeover: boolean,
    private readonly limit: number,
    private readonly engine: DeflateEngine = defaultEngine,
  ) {
    this.window = new Window(1 << windowBits);
  }

  beginMessage(): void {
    this.produced = 0;
    this.pending = [];
    this.pendingLength = 0;
    if (this.noContextTakeover) {
      this.window.clear();
      this.stream?.reset();
    }
  }

  /**
   * A compressed message that was not fed through this inflater is known to have inflated to
   * `payload` (src/fuzz/known-echo.ts): it joins the window, and the next message is inflated by a
   * fresh stream primed with that window (what the skipped message would have left behind).
   */
  skipMessage(payload: Buffer): void {
    if (this.noContextTakeover) return;
    this.window.append(payload);
    this.stream?.close();
    this.stream = null;
  }

  /** Feed a frame's compressed payload; returns what could be inflated so far. */
  push(chunk: Buffer): Buffer {
    if (this.engine === 'oneshot') {
      if (this.pendingLength + chunk.length > this.limit) {
        throw new InflateError(`message exceeds payload limit of ${this.limit} octets`, true);
      }
      this.pending.push(chunk);
      this.pendingLength += chunk.length;
      return EMPTY;
    }
    return this.inflate(chunk);
  }

  /** End of message: appends the 00 00 ff ff tail and returns the remaining output. */
  endMessage(): Buffer {
    if (this.engine === 'oneshot') {
      const input = Buffer.concat([...this.pending, TAIL]);
      this.pending = [];
      this.pendingLength = 0;
      const options: zlib.ZlibOptions = {
        windowBits: this.windowBits,
        finishFlush: Z_SYNC_FLUSH,
        maxOutputLength: this.limit,
      };
      if (this.window.bytes.length > 0) options.dictionary = this.window.bytes;
      let out: Buffer;
      try {
        out = zlib.inflateRawSync(input, options);
      } catch (err) {
        // Same message as the stream engine when the output limit is hit.
        if ((err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') {
          throw new InflateError(`message exceeds payload limit of ${this.limit} octets`, true);
        }
        throw new InflateError(err instanceof Error ? err.message : String(err));
      }
      if (!this.noContextTakeover) this.window.append(out);
      return out;
    }
    return this.inflate(TAIL);
  }

  private inflate(input: Buffer): Buffer {
    const parts: Buffer[] = [];
    let rest = input;
    while (rest.length > 0) {
      if (this.stream === null) {
        const options: zlib.ZlibOptions = { windowBits: this.windowBits };
        if (this.window.bytes.length > 0) options.dictionary = this.window.bytes;
        this.stream = new SyncZlib(zlib.createInflateRaw(options));
      }
      const { output, unused } = this.stream.run(rest, this.limit - this.produced);
      this.produced += output.length;
      if (output.length > 0) {
        parts.push(output);
        if (!this.noContextTakeover) this.window.append(output);
      }
      if (!this.stream.ended) break;
      // The peer ended the DEFLATE stream with a final block. RFC 7692 allows that; carry on with
      // a fresh inflater primed with the window instead of inflating everything after it to nothing.
      this.stream.close();
      this.stream = null;
      rest = rest.subarray(rest.length - unused);
    }
    return parts.length === 1 ? parts[0]! : Buffer.concat(parts);
  }

  close(): void {
    this.stream?.close();
    this.stream = null;
  }
}
