// Incremental, fail-fast UTF-8 validation (RFC 3629 §4; RFC 6455 §8.1).
// The bulk of each chunk is checked by Node's native `isUtf8`; the JavaScript state machine
// only runs over the few octets of a code point split across chunks, and to locate the first
// invalid octet once the native check has failed.
import { isUtf8 } from 'node:buffer';

export interface Utf8Result {
  /** False once an octet that can never start or continue a valid sequence was seen. */
  valid: boolean;
  /** 0-based index (counted from the start of the message) of the first invalid octet, or -1. */
  errorIndex: number;
}

/** Length of the sequence a lead octet announces (1 for ASCII and for octets that are never valid leads). */
function sequenceLength(b: number): number {
  if (b < 0xc2) return 1;
  if (b < 0xe0) return 2;
  if (b < 0xf0) return 3;
  if (b < 0xf5) return 4;
  return 1;
}

export class Utf8Validator {
  /** Continuation octets still expected for the current code point. */
  private need = 0;
  /** Allowed range of the next continuation octet (narrowed after E0, ED, F0, F4). */
  private lo = 0x80;
  private hi = 0xbf;
  private failed = false;
  private errorAt = -1;
  /** Octets consumed so far. */
  private total = 0;

  reset(): void {
    this.need = 0;
    this.lo = 0x80;
    this.hi = 0xbf;
    this.failed = false;
    this.errorAt = -1;
    this.total = 0;
  }

  /** True when everything so far is valid and ends on a code point boundary. */
  get complete(): boolean {
    return !this.failed && this.need === 0;
  }

  /** Octets validated so far. */
  get length(): number {
    return this.total;
  }

  validate(chunk: Uint8Array): Utf8Result {
    if (this.failed) return { valid: false, errorIndex: this.errorAt };
    const n = chunk.length;
    let i = 0;
    // Finish a code point left open by the previous chunk.
    while (this.need > 0 && i < n) {
      if (!this.step(chunk[i]!)) return this.fail(i);
      i++;
    }
    if (i < n) {
      // Split off an incomplete sequence at the end; the middle is whole code points.
      const end = boundaryBefore(chunk, i);
      if (end > i && !isUtf8(chunk.subarray(i, end))) {
        for (; i < end; i++) if (!this.step(chunk[i]!)) return this.fail(i);
      }
      for (i = end; i < n; i++) if (!this.step(chunk[i]!)) return this.fail(i);
    }
    this.total += n;
    return { valid: true, errorIndex: -1 };
  }

  private fail(i: number): Utf8Result {
    this.failed = true;
    this.errorAt = this.total + i;
    this.total += i;
    return { valid: false, errorIndex: this.errorAt };
  }

  /** Advance the state machine by one octet; false if the octet is invalid here. */
  private step(b: number): boolean {
    if (this.need === 0) {
      if (b < 0x80) return true;
      if (b < 0xc2 || b > 0xf4) return false;
      if (b < 0xe0) {
        this.need = 1;
      } else if (b < 0xf0) {
        this.need = 2;
        if (b === 0xe0) this.lo = 0xa0; // no overlong 3-octet forms
        else if (b === 0xed) this.hi = 0x9f; // no surrogates
      } else {
        this.need = 3;
        if (b === 0xf0) this.lo = 0x90; // no overlong 4-octet forms
        else if (b === 0xf4) this.hi = 0x8f; // nothing above U+10FFFF
      }
      return true;
    }
    if (b < this.lo || b > this.hi) return false;
    this.lo = 0x80;
    this.hi = 0xbf;
    this.need--;
    return true;
  }
}

/** Index where a trailing incomplete sequence starts (or chunk.length if it ends on a boundary). */
function boundaryBefore(chunk: Uint8Array, from: number): number {
  const n = chunk.length;
  for (let j = n - 1; j >= from && j >= n - 3; j--) {
    const b = chunk[j]!;
    if ((b & 0xc0) !== 0x80) {
      // A lead octet (or ASCII / invalid): incomplete if it announces more than what follows.
      return sequenceLength(b) > n - j ? j : n;
    }
  }
  return n;
}

/** One-shot check of a whole buffer. */
export function isValidUtf8(data: Uint8Array): boolean {
  return isUtf8(data);
}

/** Cut to at most `max` octets without splitting a UTF-8 sequence (a close reason: 123 octets). */
export function truncateUtf8(data: Buffer, max: number): Buffer {
  if (data.length <= max) return data;
  let end = max;
  while (end > 0 && (data[end]! & 0xc0) === 0x80) end--;
  return data.subarray(0, end);
}
