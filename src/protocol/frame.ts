// RFC 6455 §5.2 base framing: encoding any frame (valid or not) and incremental decoding.
import { maskCopy, maskInPlace } from './mask.js';

const EMPTY = Buffer.alloc(0);
/** 2 fixed octets + 8 extended length + 4 masking key. */
const MAX_HEADER = 14;

export const Opcode = {
  CONTINUATION: 0,
  TEXT: 1,
  BINARY: 2,
  CLOSE: 8,
  PING: 9,
  PONG: 10,
} as const;

export function isControlOpcode(opcode: number): boolean {
  return opcode >= 8;
}

export interface FrameSpec {
  opcode: number;
  payload?: Uint8Array;
  fin?: boolean;
  /** The three RSV bits as an integer 0..7 (4 = RSV1). */
  rsv?: number;
  /** 4-octet masking key; the frame is masked iff a key is given. */
  mask?: Uint8Array | null;
  /** Repeat `payload` cyclically to exactly this many octets. */
  repeatLength?: number | null;
  /** Write the masking key after the length (default true). False reproduces a quirk of the original. */
  writeMaskKey?: boolean;
  /** XOR the payload with the key (default true); false sends the MASK bit and key over plain data. */
  applyMask?: boolean;
}

/** Size of the length field plus the two fixed octets, for a payload of `length` octets. */
export function headerSize(length: number, masked: boolean): number {
  const base = length <= 125 ? 2 : length <= 0xffff ? 4 : 10;
  return masked ? base + 4 : base;
}

/**
 * Encode a frame header. No validation: invalid opcodes, RSV bits and FIN on control frames are
 * written as asked. The length always uses the minimal encoding.
 */
export function encodeFrameHeader(
  opcode: number,
  fin: boolean,
  rsv: number,
  length: number,
  mask: Uint8Array | null,
  writeMaskKey = true,
): Buffer {
  const masked = mask !== null;
  const keyBytes = masked && writeMaskKey ? 4 : 0;
  const size = headerSize(length, false) + keyBytes;
  const h = Buffer.allocUnsafe(size);
  h[0] = (fin ? 0x80 : 0) | ((rsv & 7) << 4) | (opcode & 0x7f);
  const maskBit = masked ? 0x80 : 0;
  let p: number;
  if (length <= 125) {
    h[1] = maskBit | length;
    p = 2;
  } else if (length <= 0xffff) {
    h[1] = maskBit | 126;
    h.writeUInt16BE(length, 2);
    p = 4;
  } else {
    h[1] = maskBit | 127;
    h.writeUInt32BE(Math.floor(length / 0x100000000), 2);
    h.writeUInt32BE(length >>> 0, 6);
    p = 10;
  }
  if (keyBytes) h.set(mask!.subarray(0, 4), p);
  return h;
}

/** Repeat `seed` cyclically to exactly `length` octets. */
export function repeatFill(seed: Uint8Array, length: number): Buffer {
  const out = Buffer.allocUnsafe(length);
  if (length === 0) return out;
  if (seed.length === 0) throw new Error('cannot repeat an empty payload');
  let filled = Math.min(seed.length, length);
  out.set(seed.subarray(0, filled), 0);
  // Doubling copy: O(log n) native copies instead of a byte loop.
  while (filled < length) {
    const n = Math.min(filled, length - filled);
    out.copyWithin(filled, 0, n);
    filled += n;
  }
  return out;
}

/** Encode a complete frame (header + possibly masked payload) into one buffer. */
export function encodeFrame(spec: FrameSpec): Buffer {
  const base = spec.payload ?? new Uint8Array(0);
  const payload = spec.repeatLength != null ? repeatFill(base, spec.repeatLength) : base;
  const mask = spec.mask ?? null;
  const header = encodeFrameHeader(
    spec.opcode,
    spec.fin ?? true,
    spec.rsv ?? 0,
    payload.length,
    mask,
    spec.writeMaskKey ?? true,
  );
  const out = Buffer.allocUnsafe(header.length + payload.length);
  header.copy(out, 0);
  out.set(payload, header.length);
  if (mask && (spec.applyMask ?? true)) maskInPlace(out.subarray(header.length), mask, 0);
  return out;
}

export type LengthForm = 7 | 16 | 64;

export interface FrameHeader {
  fin: boolean;
  rsv: number;
  opcode: number;
  masked: boolean;
  mask: Buffer | null;
  /** Declared payload length. Above 2^53 it is approximate; `lengthOver2p63` flags the illegal range. */
  length: number;
  lengthForm: LengthForm;
  /** The extended length was not the minimal encoding (RFC 6455 §5.2). */
  nonMinimalLength: boolean;
  /** The 64-bit length had its most significant bit set. */
  lengthOver2p63: boolean;
}

export type FrameEvent =
  | { type: 'header'; header: FrameHeader }
  /** A piece of the current frame's payload, already unmasked. */
  | { type: 'payload'; data: Buffer }
  | { type: 'end' };

/**
 * Incremental frame decoder: bytes in, events out. Feeding the same octets split at any
 * positions yields the same headers and the same concatenated payload per frame.
 * A header is reported once it is complete (fixed part, extended length and key).
 */
export class FrameDecoder {
  /** Octets of a header that straddles input chunks (at most 13). */
  private headerBuf: Buffer = EMPTY;
  private header: FrameHeader | null = null;
  private remaining = 0;
  private keyOffset = 0;

  /** True while inside a frame, or while part of a header is buffered. */
  get midFrame(): boolean {
    return this.header !== null || this.headerBuf.length > 0;
  }

  /** Payload views may alias `chunk` when the frame is unmasked. */
  push(chunk: Buffer): FrameEvent[] {
    const events: FrameEvent[] = [];
    let data = chunk;
    while (data.length > 0) {
      if (this.header === null) {
        data = this.readHeader(data, events);
        continue;
      }
      const take = Math.min(this.remaining, data.length);
      const piece = data.subarray(0, take);
      data = data.subarray(take);
      this.remaining -= take;
      const mask = this.header.mask;
      events.push({ type: 'payload', data: mask ? maskCopy(piece, mask, this.keyOffset) : piece });
      this.keyOffset = (this.keyOffset + take) & 3;
      if (this.remaining === 0) this.finishFrame(events);
    }
    return events;
  }

  private finishFrame(events: FrameEvent[]): void {
    events.push({ type: 'end' });
    this.header = null;
    this.keyOffset = 0;
  }

  /** Consume header octets; returns the input left after the header, or nothing if incomplete. */
  private readHeader(data: Buffer, events: FrameEvent[]): Buffer {
    // A header is at most 14 octets: when one straddles chunks, join only what it can need.
    const held = this.headerBuf.length;
    const buf = held > 0 ? Buffer.concat([this.headerBuf, data.subarray(0, MAX_HEADER - held)]) : data;
    const need = buf.length >= 2 ? requiredHeaderSize(buf) : 2;
    if (buf.length < need) {
      this.headerBuf = Buffer.from(buf);
      return EMPTY;
    }
    this.headerBuf = EMPTY;
    const header = parseHeader(buf);
    this.header = header;
    this.remaining = header.lengthOver2p63 ? Infinity : header.length;
    this.keyOffset = 0;
    events.push({ type: 'header', header });
    if (this.remaining === 0) this.finishFrame(events);
    return data.subarray(need - held);
  }
}

function requiredHeaderSize(buf: Buffer): number {
  const len7 = buf[1]! & 0x7f;
  const masked = (buf[1]! & 0x80) !== 0;
  const ext = len7 === 126 ? 2 : len7 === 127 ? 8 : 0;
  return 2 + ext + (masked ? 4 : 0);
}

function parseHeader(buf: Buffer): FrameHeader {
  const b0 = buf[0]!;
  const b1 = buf[1]!;
  const masked = (b1 & 0x80) !== 0;
  const len7 = b1 & 0x7f;
  let length = len7;
  let lengthForm: LengthForm = 7;
  let nonMinimalLength = false;
  let lengthOver2p63 = false;
  let p = 2;
  if (len7 === 126) {
    length = buf.readUInt16BE(2);
    lengthForm = 16;
    nonMinimalLength = length < 126;
    p = 4;
  } else if (len7 === 127) {
    const hi = buf.readUInt32BE(2);
    const lo = buf.readUInt32BE(6);
    lengthOver2p63 = (hi & 0x80000000) !== 0;
    length = hi * 0x100000000 + lo;
    lengthForm = 64;
    nonMinimalLength = !lengthOver2p63 && length < 0x10000;
    p = 10;
  }
  const mask = masked ? Buffer.from(buf.subarray(p, p + 4)) : null;
  return {
    fin: (b0 & 0x80) !== 0,
    rsv: (b0 >> 4) & 7,
    opcode: b0 & 0x0f,
    masked,
    mask,
    length,
    lengthForm,
    nonMinimalLength,
    lengthOver2p63,
  };
}
