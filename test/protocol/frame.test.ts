// Unit tests of src/protocol/frame.ts: RFC 6455 §5.2 framing (encoding and incremental decoding).
import { prng, pseudoRandomBytes } from '../support/random.js';
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  FrameDecoder,
  Opcode,
  encodeFrame,
  encodeFrameHeader,
  headerSize,
  isControlOpcode,
  repeatFill,
  type FrameEvent,
  type FrameHeader,
  type FrameSpec,
  type LengthForm,
} from '../../src/protocol/frame.js';

const hex = (s: string): Buffer => Buffer.from(s.replace(/\s+/g, ''), 'hex');
const ascii = (s: string): Buffer => Buffer.from(s, 'latin1');

/** Independent reference for RFC 6455 §5.3 masking. */
function xorMask(data: Uint8Array, key: Uint8Array): Buffer {
  const out = Buffer.alloc(data.length);
  for (let i = 0; i < data.length; i++) out[i] = data[i]! ^ key[i % 4]!;
  return out;
}


function formOf(length: number): LengthForm {
  return length <= 125 ? 7 : length <= 0xffff ? 16 : 64;
}

/** A frame fixture: its octets on the wire plus the header and payload a decoder must report. */
interface Fixture {
  bytes: Buffer;
  header: FrameHeader;
  payload: Buffer;
}

/** Fixture from a spec, with the expected header derived independently of the encoder. */
function fx(spec: FrameSpec): Fixture {
  const payload = Buffer.from(spec.payload ?? new Uint8Array(0));
  const mask = spec.mask ? Buffer.from(spec.mask) : null;
  return {
    bytes: encodeFrame(spec),
    payload,
    header: {
      fin: spec.fin ?? true,
      rsv: spec.rsv ?? 0,
      opcode: spec.opcode,
      masked: mask !== null,
      mask,
      length: payload.length,
      lengthForm: formOf(payload.length),
      nonMinimalLength: false,
      lengthOver2p63: false,
    },
  };
}

/** Hand-built fixture (for encodings encodeFrame never produces, e.g. non-minimal lengths). */
function raw(bytes: string, header: Partial<FrameHeader> & { opcode: number; length: number }, payload: Buffer): Fixture {
  return {
    bytes: hex(bytes),
    payload,
    header: {
      fin: true,
      rsv: 0,
      masked: false,
      mask: null,
      lengthForm: 7,
      nonMinimalLength: false,
      lengthOver2p63: false,
      ...header,
    },
  };
}

interface Got {
  header: FrameHeader;
  pieces: Buffer[];
  ended: boolean;
}

/** Push one chunk, appending the events to `out` and checking their order (header, payload*, end). */
function feed(dec: FrameDecoder, chunk: Buffer, out: Got[]): void {
  for (const ev of dec.push(chunk) as FrameEvent[]) {
    const cur = out[out.length - 1];
    if (ev.type === 'header') {
      if (cur && !cur.ended) assert.fail('header event inside an unfinished frame');
      out.push({ header: ev.header, pieces: [], ended: false });
    } else {
      if (!cur || cur.ended) assert.fail(`${ev.type} event outside a frame`);
      if (ev.type === 'payload') cur.pieces.push(ev.data);
      else cur.ended = true;
    }
  }
}

function decodeChunks(chunks: Buffer[]): Got[] {
  const dec = new FrameDecoder();
  const out: Got[] = [];
  for (const c of chunks) feed(dec, c, out);
  assert.equal(dec.midFrame, false, 'decoder still inside a frame after the last octet');
  return out;
}

function sameHeader(a: FrameHeader, b: FrameHeader): boolean {
  return (
    a.fin === b.fin &&
    a.rsv === b.rsv &&
    a.opcode === b.opcode &&
    a.masked === b.masked &&
    (a.mask === null ? b.mask === null : b.mask !== null && a.mask.equals(b.mask)) &&
    a.length === b.length &&
    a.lengthForm === b.lengthForm &&
    a.nonMinimalLength === b.nonMinimalLength &&
    a.lengthOver2p63 === b.lengthOver2p63
  );
}

/**
 * Compare decoded frames with the fixtures. `input` is the stream that was fed: a payload piece
 * that is a view of exactly the right octets of `input` is equal by construction (a fast path for
 * the big unmasked frames; `input` itself is checked against a pristine copy by the callers).
 */
function checkFrames(got: Got[], fixtures: Fixture[], input: Buffer, what: string): void {
  if (got.length !== fixtures.length) assert.fail(`${what}: ${got.length} frames decoded, ${fixtures.length} expected`);
  let frameStart = 0;
  for (let f = 0; f < fixtures.length; f++) {
    const g = got[f]!;
    const x = fixtures[f]!;
    if (!sameHeader(g.header, x.header)) assert.deepEqual(g.header, x.header, `${what}: header of frame ${f}`);
    if (!g.ended) assert.fail(`${what}: frame ${f} has no end event`);
    const payloadStart = frameStart + x.bytes.length - x.payload.length;
    let off = 0;
    for (const piece of g.pieces) {
      const aliased =
        !x.header.masked &&
        piece.buffer === input.buffer &&
        piece.byteOffset === input.byteOffset + payloadStart + off &&
        off + piece.length <= x.payload.length;
      if (!aliased && !piece.equals(x.payload.subarray(off, off + piece.length))) {
        assert.fail(`${what}: payload of frame ${f} differs at offset ${off}`);
      }
      off += piece.length;
    }
    if (off !== x.payload.length) assert.fail(`${what}: frame ${f} payload has ${off} octets, expected ${x.payload.length}`);
    frameStart += x.bytes.length;
  }
}

// ------------------------------------------------------------------------------------------------

describe('RFC 6455 §5.7 examples (encodeFrame and FrameDecoder)', () => {
  const key = hex('37fa213d');
  const hello = ascii('Hello');
  const examples: Array<[string, FrameSpec, string]> = [
    ['single-frame unmasked text', { opcode: 1, payload: hello }, '810548656c6c6f'],
    ['single-frame masked text', { opcode: 1, payload: hello, mask: key }, '818537fa213d7f9f4d5158'],
    ['fragmented unmasked text, first', { opcode: 1, fin: false, payload: ascii('Hel') }, '010348656c'],
    ['fragmented unmasked text, last', { opcode: 0, payload: ascii('lo') }, '80026c6f'],
    ['unmasked ping', { opcode: 9, payload: hello }, '890548656c6c6f'],
    ['masked pong', { opcode: 10, payload: hello, mask: key }, '8a8537fa213d7f9f4d5158'],
  ];
  for (const [name, spec, wire] of examples) {
    test(`encode: ${name}`, () => {
      assert.equal(encodeFrame(spec).toString('hex'), wire);
    });
    test(`decode: ${name}`, () => {
      const got = decodeChunks([hex(wire)]);
      checkFrames(got, [fx(spec)], hex(wire), name);
    });
  }
  test('256-octet binary frame uses the 16-bit length (82 7e 01 00)', () => {
    const f = encodeFrame({ opcode: 2, payload: Buffer.alloc(256, 7) });
    assert.equal(f.subarray(0, 4).toString('hex'), '827e0100');
    assert.equal(f.length, 4 + 256);
  });
  test('64 KiB binary frame uses the 64-bit length (82 7f 00..01 00 00)', () => {
    const f = encodeFrame({ opcode: 2, payload: Buffer.alloc(65536, 7) });
    assert.equal(f.subarray(0, 10).toString('hex'), '827f0000000000010000');
    assert.equal(f.length, 10 + 65536);
  });
});

describe('RFC 6455 §5.2 encodeFrameHeader', () => {
  test('payload length: minimal encoding at every form boundary', () => {
    const cases: Array<[number, string]> = [
      [0, '8200'],
      [1, '8201'],
      [125, '827d'],
      [126, '827e007e'],
      [127, '827e007f'],
      [65535, '827effff'],
      [65536, '827f0000000000010000'],
      [0xffffffff, '827f00000000ffffffff'],
      [0x100000005, '827f0000000100000005'],
      [2 ** 53 - 1, '827f001fffffffffffff'],
    ];
    for (const [len, wire] of cases) {
      assert.equal(encodeFrameHeader(2, true, 0, len, null).toString('hex'), wire, `length ${len}`);
    }
  });
  test('FIN, RSV 0..7 and opcode 0..15 land in the first octet', () => {
    for (const fin of [false, true]) {
      for (let rsv = 0; rsv < 8; rsv++) {
        for (let op = 0; op < 16; op++) {
          const h = encodeFrameHeader(op, fin, rsv, 3, null);
          assert.equal(h[0], (fin ? 0x80 : 0) | (rsv << 4) | op, `fin=${fin} rsv=${rsv} op=${op}`);
          assert.equal(h[1], 3);
        }
      }
    }
  });
  test('mask bit and key follow the length in each length form', () => {
    const key = hex('a1b2c3d4');
    assert.equal(encodeFrameHeader(1, true, 0, 5, key).toString('hex'), '8185a1b2c3d4');
    assert.equal(encodeFrameHeader(1, true, 0, 126, key).toString('hex'), '81fe007ea1b2c3d4');
    assert.equal(encodeFrameHeader(1, true, 0, 65536, key).toString('hex'), '81ff0000000000010000a1b2c3d4');
    // Only the first four octets of a longer key buffer are used.
    assert.equal(encodeFrameHeader(1, true, 0, 0, hex('0102030405')).toString('hex'), '818001020304');
  });
  test('writeMaskKey=false sets the MASK bit but writes no key (Appendix C.6 quirk)', () => {
    assert.equal(encodeFrameHeader(1, true, 0, 5, hex('01020304'), false).toString('hex'), '8185');
    const f = encodeFrame({ opcode: 1, payload: ascii('Hello'), mask: hex('01020304'), writeMaskKey: false });
    // The payload is still masked with the (unwritten) key.
    assert.equal(f.toString('hex'), '8185' + xorMask(ascii('Hello'), hex('01020304')).toString('hex'));
  });
  test('applyMask=false writes MASK bit and key over plain payload', () => {
    const f = encodeFrame({ opcode: 1, payload: ascii('Hello'), mask: hex('01020304'), applyMask: false });
    assert.equal(f.toString('hex'), '818501020304' + ascii('Hello').toString('hex'));
  });
  test('headerSize matches the encoded header at the boundaries', () => {
    for (const len of [0, 125, 126, 65535, 65536, 2 ** 40]) {
      for (const key of [null, hex('00000000')]) {
        assert.equal(headerSize(len, key !== null), encodeFrameHeader(1, true, 0, len, key).length, `len ${len}`);
      }
    }
    assert.deepEqual([headerSize(0, false), headerSize(125, true), headerSize(126, false), headerSize(65536, true)], [2, 6, 4, 14]);
  });
});

describe('encodeFrame payload handling', () => {
  test('masked payload equals the naive XOR, and the source payload is left untouched', () => {
    const payload = pseudoRandomBytes(1000, 11);
    const copy = Buffer.from(payload);
    const key = hex('deadbeef');
    const f = encodeFrame({ opcode: 2, payload, mask: key });
    assert.equal(f.subarray(0, 8).toString('hex'), '82fe03e8deadbeef');
    assert.deepEqual(f.subarray(8), xorMask(copy, key));
    assert.deepEqual(payload, copy);
  });
  test('repeatLength repeats the payload cyclically (then masks)', () => {
    const f = encodeFrame({ opcode: 1, payload: ascii('abc'), repeatLength: 8 });
    assert.equal(f.toString('hex'), '8108' + ascii('abcabcab').toString('hex'));
    const m = encodeFrame({ opcode: 1, payload: ascii('abc'), repeatLength: 130, mask: hex('01020304') });
    assert.equal(m.subarray(0, 8).toString('hex'), '81fe008201020304');
    assert.deepEqual(m.subarray(8), xorMask(repeatFill(ascii('abc'), 130), hex('01020304')));
  });
  test('repeatFill against a naive loop for many seed and output lengths', () => {
    for (let seedLen = 1; seedLen <= 9; seedLen++) {
      const seed = pseudoRandomBytes(seedLen, seedLen);
      for (const n of [0, 1, 2, 3, 7, 8, 9, 16, 17, 100, 1000, 4097]) {
        const expect = Buffer.alloc(n);
        for (let i = 0; i < n; i++) expect[i] = seed[i % seedLen]!;
        assert.deepEqual(repeatFill(seed, n), expect, `seed ${seedLen}, length ${n}`);
      }
    }
  });
  test('repeatFill of an empty seed: empty result, or an error when octets are needed', () => {
    assert.equal(repeatFill(Buffer.alloc(0), 0).length, 0);
    assert.throws(() => repeatFill(Buffer.alloc(0), 1), /empty payload/);
  });
  test('defaults: FIN set, RSV 0, unmasked, empty payload', () => {
    assert.equal(encodeFrame({ opcode: 8 }).toString('hex'), '8800');
  });
});

describe('RFC 6455 §5.2 / §11.8 opcodes', () => {
  test('Opcode constants', () => {
    assert.deepEqual(Opcode, { CONTINUATION: 0, TEXT: 1, BINARY: 2, CLOSE: 8, PING: 9, PONG: 10 });
  });
  test('control frames are exactly the opcodes with the high bit set (8..15)', () => {
    for (let op = 0; op < 16; op++) assert.equal(isControlOpcode(op), op >= 8, `opcode ${op}`);
  });
});

describe('FrameDecoder: RFC 6455 §5.2 header fields', () => {
  test('every RSV value 0..7 with every opcode 0..15, FIN set and clear', () => {
    const fixtures: Fixture[] = [];
    for (let rsv = 0; rsv < 8; rsv++) {
      for (let op = 0; op < 16; op++) {
        fixtures.push(fx({ opcode: op, rsv, fin: (rsv + op) % 2 === 0, payload: Buffer.from([rsv, op]) }));
      }
    }
    const input = Buffer.concat(fixtures.map((f) => f.bytes));
    checkFrames(decodeChunks([input]), fixtures, input, 'rsv/opcode grid');
    checkFrames(decodeChunks(Array.from(input, (b) => Buffer.from([b]))), fixtures, input, 'rsv/opcode grid, octet by octet');
  });

  test('nonMinimalLength: 16-bit lengths below 126 and 64-bit lengths below 65536', () => {
    const cases: Array<[string, number, LengthForm, boolean]> = [
      ['827e0000', 0, 16, true],
      ['827e0005', 5, 16, true],
      ['827e007d', 125, 16, true],
      ['827e007e', 126, 16, false],
      ['827effff', 65535, 16, false],
      ['827f0000000000000000', 0, 64, true],
      ['827f000000000000007d', 125, 64, true],
      ['827f000000000000007e', 126, 64, true],
      ['827f000000000000ffff', 65535, 64, true],
      ['827f0000000000010000', 65536, 64, false],
      ['827f0000000100000000', 2 ** 32, 64, false],
    ];
    for (const [h, length, form, nonMinimal] of cases) {
      const dec = new FrameDecoder();
      const evs = dec.push(hex(h));
      const first = evs[0];
      assert.ok(first && first.type === 'header', h);
      assert.equal(first.header.length, length, h);
      assert.equal(first.header.lengthForm, form, h);
      assert.equal(first.header.nonMinimalLength, nonMinimal, h);
      assert.equal(first.header.lengthOver2p63, false, h);
      // A zero-length frame ends immediately; otherwise the decoder waits for the payload.
      assert.equal(evs.length, length === 0 ? 2 : 1, h);
      assert.equal(dec.midFrame, length !== 0, h);
    }
  });

  test('non-minimal 16- and 64-bit lengths are decoded normally, masked or not', () => {
    const key = hex('0badf00d');
    const fixtures = [
      raw('817e0005 48656c6c6f', { opcode: 1, length: 5, lengthForm: 16, nonMinimalLength: true }, ascii('Hello')),
      raw(
        '82ff0000000000000003 0badf00d' + xorMask(ascii('abc'), key).toString('hex'),
        { opcode: 2, length: 3, lengthForm: 64, nonMinimalLength: true, masked: true, mask: key },
        ascii('abc'),
      ),
      raw('88fe0000 0badf00d', { opcode: 8, length: 0, lengthForm: 16, nonMinimalLength: true, masked: true, mask: key }, Buffer.alloc(0)),
    ];
    const input = Buffer.concat(fixtures.map((f) => f.bytes));
    checkFrames(decodeChunks([input]), fixtures, input, 'non-minimal');
  });

  for (const [name, lenHex, masked] of [
    ['2^63', '8000000000000000', false],
    ['2^64 - 1', 'ffffffffffffffff', false],
    ['2^63 + 5, masked', '8000000000000005', true],
  ] as const) {
    test(`lengthOver2p63 for a 64-bit length of ${name}; the rest of the stream is payload, nothing allocated`, () => {
      const key = hex('01020304');
      const dec = new FrameDecoder();
      const head = Buffer.concat([hex(masked ? '82ff' : '827f'), hex(lenHex), masked ? key : Buffer.alloc(0)]);
      const evs = dec.push(head);
      assert.equal(evs.length, 1);
      const ev = evs[0]!;
      assert.ok(ev.type === 'header');
      assert.equal(ev.header.lengthOver2p63, true);
      assert.equal(ev.header.nonMinimalLength, false);
      assert.equal(ev.header.lengthForm, 64);
      assert.equal(ev.header.masked, masked);
      assert.deepEqual(ev.header.mask, masked ? key : null);
      assert.ok(ev.header.length >= 2 ** 63);
      assert.equal(dec.midFrame, true);
      // Feed 8 MiB more: all of it comes back as payload of that frame, chunk by chunk.
      const chunk = Buffer.alloc(1 << 20, 0x41);
      for (let i = 0; i < 8; i++) {
        const more = dec.push(chunk);
        assert.equal(more.length, 1);
        const p = more[0]!;
        assert.ok(p.type === 'payload');
        assert.equal(p.data.length, chunk.length);
        assert.equal(p.data[0], masked ? 0x41 ^ key[0]! : 0x41);
      }
      assert.equal(dec.midFrame, true);
    });
  }

  test('a 64-bit length just below 2^63 is not flagged; the frame simply never completes here', () => {
    const dec = new FrameDecoder();
    const evs = dec.push(hex('827f7fffffffffffffff 414243'));
    const first = evs[0];
    assert.ok(first && first.type === 'header');
    assert.equal(first.header.lengthOver2p63, false);
    assert.equal(first.header.nonMinimalLength, false);
    assert.ok(first.header.length > 2 ** 62);
    assert.deepEqual(evs.slice(1), [{ type: 'payload', data: ascii('ABC') }]);
    assert.equal(dec.midFrame, true);
  });

  test('mask key is reported and the payload is unmasked, key position carried across chunks', () => {
    const key = hex('37fa213d');
    const payload = pseudoRandomBytes(37, 5);
    const wire = encodeFrame({ opcode: 2, payload, mask: key });
    for (const size of [1, 2, 3, 5, 7]) {
      const chunks: Buffer[] = [];
      for (let i = 0; i < wire.length; i += size) chunks.push(wire.subarray(i, i + size));
      const got = decodeChunks(chunks);
      assert.equal(got.length, 1);
      assert.deepEqual(got[0]!.header.mask, key);
      assert.deepEqual(Buffer.concat(got[0]!.pieces), payload, `chunk size ${size}`);
    }
    assert.deepEqual(wire, encodeFrame({ opcode: 2, payload, mask: key }), 'decoder modified its input');
  });

  test('midFrame: false at start, true with a partial header or inside a payload, false after the end', () => {
    const dec = new FrameDecoder();
    assert.equal(dec.midFrame, false);
    dec.push(hex('81'));
    assert.equal(dec.midFrame, true);
    dec.push(hex('85 37fa'));
    assert.equal(dec.midFrame, true);
    dec.push(hex('213d 7f9f'));
    assert.equal(dec.midFrame, true);
    const evs = dec.push(hex('4d5158'));
    assert.equal(dec.midFrame, false);
    assert.deepEqual(evs.map((e) => e.type), ['payload', 'end']);
  });

  test('an empty chunk yields no events', () => {
    const dec = new FrameDecoder();
    assert.deepEqual(dec.push(Buffer.alloc(0)), []);
    dec.push(hex('8105'));
    assert.deepEqual(dec.push(Buffer.alloc(0)), []);
    assert.equal(dec.midFrame, true);
  });
});

// ------------------------------------------------------------------------------------------------

describe('FrameDecoder split invariance', () => {
  const k1 = hex('01020304');
  const k2 = hex('ff00a55a');
  const k3 = hex('00000000');

  /** Several frames back to back: all length forms, masked and unmasked, control, reserved. */
  const mixed: Fixture[] = [
    ...[
      { opcode: 1, payload: ascii('Hello') },
      { opcode: 1, payload: Buffer.alloc(0) },
      { opcode: 2, payload: pseudoRandomBytes(1, 1) },
      { opcode: 2, payload: pseudoRandomBytes(125, 2) },
      { opcode: 2, payload: pseudoRandomBytes(126, 3) },
      { opcode: 2, payload: pseudoRandomBytes(127, 4), mask: k1 },
      { opcode: 9, payload: Buffer.alloc(0) },
      { opcode: 1, fin: false, payload: ascii('frag'), mask: k2 },
      { opcode: 9, payload: pseudoRandomBytes(125, 7), mask: k2 },
      { opcode: 0, fin: false, payload: Buffer.alloc(0), mask: k1 },
      { opcode: 0, payload: pseudoRandomBytes(300, 8), mask: k2 },
      { opcode: 10, payload: ascii('pong'), mask: k3 },
      { opcode: 8, payload: hex('03e8') },
      { opcode: 3, rsv: 1, payload: pseudoRandomBytes(3, 9) },
      { opcode: 7, rsv: 2, payload: Buffer.alloc(0), mask: k1 },
      { opcode: 11, rsv: 4, fin: false, payload: pseudoRandomBytes(126, 10), mask: k1 },
      { opcode: 15, rsv: 7, payload: pseudoRandomBytes(2, 11) },
      { opcode: 2, rsv: 5, payload: pseudoRandomBytes(126, 12), mask: k2 },
      { opcode: 1, payload: Buffer.alloc(0), mask: k2 },
    ].map(fx),
    raw('817e0005 48656c6c6f', { opcode: 1, length: 5, lengthForm: 16, nonMinimalLength: true }, ascii('Hello')),
    raw(
      '82ff0000000000000003 01020304' + xorMask(ascii('xyz'), k1).toString('hex'),
      { opcode: 2, length: 3, lengthForm: 64, nonMinimalLength: true, masked: true, mask: k1 },
      ascii('xyz'),
    ),
    raw('8a7f0000000000000000', { opcode: 10, length: 0, lengthForm: 64, nonMinimalLength: true }, Buffer.alloc(0)),
    fx({ opcode: 8, payload: Buffer.concat([hex('0bb8'), ascii('bye')]), mask: k2 }),
  ];
  /** The 16-bit/64-bit boundary: 65535 and 65536 octets (unmasked), between small frames. */
  const boundary: Fixture[] = [
    { opcode: 2, payload: pseudoRandomBytes(125, 13) },
    { opcode: 2, payload: pseudoRandomBytes(65535, 5) },
    { opcode: 9, payload: Buffer.alloc(0) },
    { opcode: 2, payload: pseudoRandomBytes(65536, 6) },
    { opcode: 1, payload: ascii('end'), mask: k1 },
  ].map(fx);
  const all = [...mixed, ...boundary];

  test('the streams cover 0/1/125/126/127/65535/65536, masked and unmasked, control and reserved frames', () => {
    const lengths = new Set(all.map((f) => f.header.length));
    for (const n of [0, 1, 125, 126, 127, 65535, 65536]) assert.ok(lengths.has(n), `length ${n}`);
    assert.ok(all.some((f) => f.header.masked) && all.some((f) => !f.header.masked));
    assert.ok(all.some((f) => f.header.lengthForm === 64 && f.header.masked));
    assert.ok(all.some((f) => isControlOpcode(f.header.opcode)) && all.some((f) => f.header.rsv !== 0));
  });

  for (const [name, fixtures] of [
    ['mixed frames', mixed],
    ['length-form boundary frames', boundary],
    ['both streams back to back', all],
  ] as const) {
    const input = Buffer.concat(fixtures.map((f) => f.bytes));
    const pristine = Buffer.from(input);
    /** Offsets where one frame ends and the next begins (including 0 and the end). */
    const boundaries = new Set<number>([0]);
    let at = 0;
    for (const f of fixtures) boundaries.add((at += f.bytes.length));

    test(`${name}: unsplit feed decodes to the expected frames`, () => {
      checkFrames(decodeChunks([input]), fixtures, input, 'unsplit');
      assert.deepEqual(input, pristine, 'decoder modified its input');
    });

    if (fixtures !== all) {
      test(`${name}: split into two pieces at every position`, () => {
        for (let p = 0; p <= input.length; p++) {
          const dec = new FrameDecoder();
          const out: Got[] = [];
          feed(dec, input.subarray(0, p), out);
          if (dec.midFrame === boundaries.has(p)) assert.fail(`midFrame wrong after ${p} octets`);
          feed(dec, input.subarray(p), out);
          if (dec.midFrame) assert.fail(`split at ${p}: decoder still inside a frame`);
          checkFrames(out, fixtures, input, `split at ${p}`);
        }
        assert.deepEqual(input, pristine, 'decoder modified its input');
      });
    }

    if (fixtures !== all) test(`${name}: one octet at a time`, () => {
      const dec = new FrameDecoder();
      const out: Got[] = [];
      for (let i = 0; i < input.length; i++) feed(dec, input.subarray(i, i + 1), out);
      assert.equal(dec.midFrame, false);
      checkFrames(out, fixtures, input, 'octet by octet');
    });
  }

  test('three pieces at every pair of positions (header-heavy stream)', () => {
    const small = mixed.filter((f) => f.payload.length <= 8);
    const s = Buffer.concat(small.map((f) => f.bytes));
    assert.ok(s.length > 100);
    for (let p = 0; p <= s.length; p++) {
      for (let q = p; q <= s.length; q++) {
        checkFrames(decodeChunks([s.subarray(0, p), s.subarray(p, q), s.subarray(q)]), small, s, `split at ${p}/${q}`);
      }
    }
  });

  test('large masked frames (65535 and 65536 octets): octet by octet and random chunkings', () => {
    const big = [
      fx({ opcode: 2, payload: pseudoRandomBytes(65535, 21), mask: k1 }),
      fx({ opcode: 1, rsv: 4, payload: pseudoRandomBytes(65536, 22), mask: hex('9a0b1c2d') }),
    ];
    const s = Buffer.concat(big.map((f) => f.bytes));
    checkFrames(decodeChunks(Array.from({ length: s.length }, (_, i) => s.subarray(i, i + 1))), big, s, 'octet by octet');
    const next = prng(77);
    for (let round = 0; round < 20; round++) {
      const chunks: Buffer[] = [];
      for (let i = 0; i < s.length; ) {
        const n = 1 + (next() % (round < 5 ? 17 : 9000));
        chunks.push(s.subarray(i, i + n));
        i += n;
      }
      checkFrames(decodeChunks(chunks), big, s, `random chunking ${round}`);
    }
  });
});
