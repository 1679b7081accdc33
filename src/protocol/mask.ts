// RFC 6455 §5.3 masking: XOR with a 4-octet key, key position carried across chunks.
// Works on 32-bit words for the aligned middle of the buffer; byte loops only at the edges.

const scratch = new Uint8Array(4);
const scratchWord = new Uint32Array(scratch.buffer);

/** XOR `buf` in place with `mask`, starting at key position `keyOffset` (0..3). */
export function maskInPlace(buf: Uint8Array, mask: Uint8Array, keyOffset = 0): void {
  const n = buf.length;
  let i = 0;
  let k = keyOffset & 3;
  // Byte loop until the absolute address is 4-aligned (or the buffer ends).
  while (i < n && ((buf.byteOffset + i) & 3) !== 0) {
    buf[i] ^= mask[k]!;
    k = (k + 1) & 3;
    i++;
  }
  const words = (n - i) >>> 2;
  if (words > 0) {
    // The key rotated to the current position, as a native-endian word.
    scratch[0] = mask[k]!;
    scratch[1] = mask[(k + 1) & 3]!;
    scratch[2] = mask[(k + 2) & 3]!;
    scratch[3] = mask[(k + 3) & 3]!;
    const w = scratchWord[0]!;
    const view = new Uint32Array(buf.buffer, buf.byteOffset + i, words);
    for (let j = 0; j < words; j++) view[j] ^= w;
    i += words << 2;
  }
  while (i < n) {
    buf[i] ^= mask[k]!;
    k = (k + 1) & 3;
    i++;
  }
}

/** Masked (or unmasked: the operation is its own inverse) copy of `src`; `src` is left untouched. */
export function maskCopy(src: Uint8Array, mask: Uint8Array, keyOffset = 0): Buffer {
  const out = Buffer.allocUnsafe(src.length);
  out.set(src);
  maskInPlace(out, mask, keyOffset);
  return out;
}
