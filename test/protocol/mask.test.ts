// Unit tests of src/protocol/mask.ts: RFC 6455 §5.3 client-to-server masking.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { maskCopy, maskInPlace } from '../../src/protocol/mask.js';

const hex = (s: string): Buffer => Buffer.from(s.replace(/\s+/g, ''), 'hex');

/** RFC 6455 §5.3: transformed-octet-i = original-octet-i XOR masking-key-octet-(i MOD 4). */
function naiveMask(data: Uint8Array, key: Uint8Array, keyOffset = 0): Uint8Array {
  const out = new Uint8Array(data.length);
  for (let i = 0; i < data.length; i++) out[i] = data[i]! ^ key[(i + keyOffset) % 4]!;
  return out;
}

function pattern(n: number, seed: number): Uint8Array {
  const b = new Uint8Array(n);
  let x = seed * 2654435761 >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    b[i] = x & 0xff;
  }
  return b;
}

/** A view of `data` placed at byte offset `offset` inside a larger ArrayBuffer (guard octets around it). */
function placed(data: Uint8Array, offset: number): { view: Uint8Array; whole: Uint8Array } {
  const whole = new Uint8Array(offset + data.length + 8).fill(0xee);
  whole.set(data, offset);
  return { view: whole.subarray(offset, offset + data.length), whole };
}

const KEYS = [hex('37fa213d'), hex('01020304'), hex('00000000'), hex('ffffffff'), hex('80000001'), hex('a55a00ff')];

describe('RFC 6455 §5.3 masking: maskInPlace against the naive definition', () => {
  test('RFC 6455 §5.7 example: "Hello" with key 37 fa 21 3d', () => {
    const b = Buffer.from('Hello');
    maskInPlace(b, hex('37fa213d'));
    assert.equal(b.toString('hex'), '7f9f4d5158');
  });

  test('lengths 0..40, view offsets 0..7, key offsets 0..3, several keys', () => {
    for (const key of KEYS) {
      for (let len = 0; len <= 40; len++) {
        const data = pattern(len, len + 1);
        for (let offset = 0; offset < 8; offset++) {
          for (let k = 0; k < 4; k++) {
            const { view, whole } = placed(data, offset);
            maskInPlace(view, key, k);
            assert.deepEqual(view, naiveMask(data, key, k), `key ${Buffer.from(key).toString('hex')} len ${len} offset ${offset} k ${k}`);
            // Octets outside the view are untouched.
            for (let i = 0; i < offset; i++) assert.equal(whole[i], 0xee);
            for (let i = offset + len; i < whole.length; i++) assert.equal(whole[i], 0xee);
          }
        }
      }
    }
  });

  test('large buffers (64 KiB + 3 and 1 MiB + 1) at unaligned offsets', () => {
    const key = hex('c3a1f00d');
    for (const len of [65539, (1 << 20) + 1]) {
      const data = pattern(len, 9);
      for (const offset of [0, 1, 2, 3, 5, 7]) {
        for (const k of [0, 1, 2, 3]) {
          const { view } = placed(data, offset);
          maskInPlace(view, key, k);
          assert.ok(Buffer.from(view).equals(naiveMask(data, key, k)), `len ${len} offset ${offset} k ${k}`);
        }
      }
    }
  });

  test('key offsets beyond 3 are taken modulo 4', () => {
    const data = pattern(23, 3);
    for (let k = 0; k < 12; k++) {
      const b = Uint8Array.from(data);
      maskInPlace(b, KEYS[0]!, k);
      assert.deepEqual(b, naiveMask(data, KEYS[0]!, k % 4));
    }
  });

  test('default key offset is 0', () => {
    const data = pattern(17, 4);
    const b = Uint8Array.from(data);
    maskInPlace(b, KEYS[1]!);
    assert.deepEqual(b, naiveMask(data, KEYS[1]!, 0));
  });

  test('the key may itself be an unaligned view (e.g. inside a frame header)', () => {
    const header = hex('8185 37fa213d');
    const key = header.subarray(2, 6);
    const b = Buffer.from('Hello');
    maskInPlace(b, key);
    assert.equal(b.toString('hex'), '7f9f4d5158');
  });

  test('a Buffer from the shared pool (non-zero byteOffset) is masked correctly', () => {
    for (let n = 0; n < 20; n++) {
      const data = pattern(n, n + 50);
      const small = Buffer.from(data); // pooled: arbitrary byteOffset within the pool
      maskInPlace(small, KEYS[4]!, n & 3);
      assert.deepEqual(new Uint8Array(small), naiveMask(data, KEYS[4]!, n & 3));
    }
  });
});

describe('RFC 6455 §5.3 masking: round trip and chunking', () => {
  test('masking twice restores the data (every key offset, unaligned)', () => {
    for (let len = 0; len <= 40; len++) {
      const data = pattern(len, 100 + len);
      for (let offset = 0; offset < 8; offset++) {
        for (let k = 0; k < 4; k++) {
          const { view } = placed(data, offset);
          maskInPlace(view, KEYS[5]!, k);
          maskInPlace(view, KEYS[5]!, k);
          assert.deepEqual(view, data);
        }
      }
    }
  });

  test('masking in pieces with the carried key position equals masking the whole', () => {
    const data = pattern(1000, 77);
    const key = KEYS[0]!;
    const expect = naiveMask(data, key);
    for (const piece of [1, 2, 3, 5, 7, 13, 64, 333]) {
      const b = Uint8Array.from(data);
      for (let i = 0; i < b.length; i += piece) maskInPlace(b.subarray(i, i + piece), key, i & 3);
      assert.deepEqual(b, expect, `pieces of ${piece}`);
    }
  });

  test('maskCopy returns a masked Buffer and leaves its source untouched', () => {
    for (let len = 0; len <= 40; len++) {
      const data = pattern(len, 200 + len);
      for (let offset = 0; offset < 8; offset++) {
        for (let k = 0; k < 4; k++) {
          const { view } = placed(data, offset);
          const out = maskCopy(view, KEYS[1]!, k);
          assert.ok(Buffer.isBuffer(out));
          assert.deepEqual(new Uint8Array(out), naiveMask(data, KEYS[1]!, k));
          assert.deepEqual(view, data, 'source modified');
          assert.notEqual(out.buffer, view.buffer);
        }
      }
    }
    const big = pattern(100_003, 5);
    assert.ok(maskCopy(big.subarray(3), KEYS[2]!).equals(big.subarray(3)), 'zero key is the identity');
    assert.ok(maskCopy(maskCopy(big.subarray(1), KEYS[3]!, 2), KEYS[3]!, 2).equals(big.subarray(1)));
  });
});
