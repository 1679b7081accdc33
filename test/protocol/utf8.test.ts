// Unit tests of src/protocol/utf8.ts: incremental fail-fast UTF-8 validation (RFC 3629 §4,
// RFC 6455 §8.1), checked against the 132 vectors of cases 6.5–6.23
// (src/cases/data/utf8-vectors.json) and two independent references.
import { prng } from '../support/random.js';
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Utf8Validator, isValidUtf8 } from '../../src/protocol/utf8.js';
import vectorGroups from '../../src/cases/data/utf8-vectors.json' with { type: 'json' };

const hex = (s: string): Buffer => Buffer.from(s.replace(/\s+/g, ''), 'hex');

interface Vector {
  id: string;
  valid: boolean;
  hex: string;
}
const vectors: Vector[] = (vectorGroups as Array<{ vectors: Vector[] }>).flatMap((g) => g.vectors);

// ------------------------------------------------------------------ references

/** Reference 1: WHATWG decoder, whole input. */
function tdValid(bytes: Uint8Array): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}

/** Reference 1: WHATWG streaming decoder fed octet by octet; index of the octet that fails, or -1. */
function tdErrorIndex(bytes: Uint8Array): number {
  const td = new TextDecoder('utf-8', { fatal: true });
  for (let i = 0; i < bytes.length; i++) {
    try {
      td.decode(bytes.subarray(i, i + 1), { stream: true });
    } catch {
      return i;
    }
  }
  return -1;
}

/**
 * Reference 2: Unicode Table 3-7 (well-formed UTF-8 byte sequences), written out directly.
 * Returns the index of the first octet that cannot continue a well-formed prefix (-1 if none)
 * and whether the input ends on a code point boundary.
 */
function tableCheck(bytes: Uint8Array): { errorIndex: number; complete: boolean } {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    let ranges: Array<[number, number]>;
    if (b <= 0x7f) ranges = [];
    else if (b >= 0xc2 && b <= 0xdf) ranges = [[0x80, 0xbf]];
    else if (b === 0xe0) ranges = [[0xa0, 0xbf], [0x80, 0xbf]];
    else if ((b >= 0xe1 && b <= 0xec) || b === 0xee || b === 0xef) ranges = [[0x80, 0xbf], [0x80, 0xbf]];
    else if (b === 0xed) ranges = [[0x80, 0x9f], [0x80, 0xbf]];
    else if (b === 0xf0) ranges = [[0x90, 0xbf], [0x80, 0xbf], [0x80, 0xbf]];
    else if (b >= 0xf1 && b <= 0xf3) ranges = [[0x80, 0xbf], [0x80, 0xbf], [0x80, 0xbf]];
    else if (b === 0xf4) ranges = [[0x80, 0x8f], [0x80, 0xbf], [0x80, 0xbf]];
    else return { errorIndex: i, complete: false };
    for (let r = 0; r < ranges.length; r++) {
      const j = i + 1 + r;
      if (j >= bytes.length) return { errorIndex: -1, complete: false };
      const c = bytes[j]!;
      if (c < ranges[r]![0] || c > ranges[r]![1]) return { errorIndex: j, complete: false };
    }
    i += 1 + ranges.length;
  }
  return { errorIndex: -1, complete: true };
}

interface Expect {
  errorIndex: number;
  complete: boolean;
}

/** Expected outcome, after checking that both references agree. */
function expected(bytes: Uint8Array): Expect {
  const t = tableCheck(bytes);
  assert.equal(tdErrorIndex(bytes), t.errorIndex, `references disagree on the error index of ${Buffer.from(bytes).toString('hex')}`);
  assert.equal(tdValid(bytes), t.complete, `references disagree on the validity of ${Buffer.from(bytes).toString('hex')}`);
  return t;
}

// ------------------------------------------------------------------ running the validator

/**
 * Validate `bytes` cut at `cuts` (ascending offsets) and check every step: valid results up to the
 * chunk holding the first invalid octet, then `{ valid: false, errorIndex }` for it and every later chunk.
 */
function runChunked(bytes: Uint8Array, cuts: number[], exp: Expect, what: string, v = new Utf8Validator()): void {
  let start = 0;
  for (const end of [...cuts, bytes.length]) {
    const r = v.validate(bytes.subarray(start, end));
    const failedBy = exp.errorIndex >= 0 && exp.errorIndex < end;
    if (r.valid === failedBy || r.errorIndex !== (failedBy ? exp.errorIndex : -1)) {
      assert.fail(
        `${what}: chunk [${start}, ${end}) gave ${JSON.stringify(r)}, expected errorIndex ${failedBy ? exp.errorIndex : -1}`,
      );
    }
    if (!failedBy && v.length !== end) assert.fail(`${what}: length ${v.length} after ${end} octets`);
    start = end;
  }
  if (v.complete !== exp.complete) assert.fail(`${what}: complete=${v.complete}, expected ${exp.complete}`);
}

function everyChunking(bytes: Uint8Array, exp: Expect, what: string, { threePieces }: { threePieces: boolean }): void {
  runChunked(bytes, [], exp, `${what} whole`);
  runChunked(
    bytes,
    Array.from({ length: bytes.length }, (_, i) => i),
    exp,
    `${what} with an empty first chunk and one octet per chunk`,
  );
  runChunked(
    bytes,
    Array.from({ length: Math.max(0, bytes.length - 1) }, (_, i) => i + 1),
    exp,
    `${what} one octet per chunk`,
  );
  for (let p = 0; p <= bytes.length; p++) {
    runChunked(bytes, [p], exp, `${what} split at ${p}`);
    if (threePieces) for (let q = p; q <= bytes.length; q++) runChunked(bytes, [p, q], exp, `${what} split at ${p}/${q}`);
  }
  for (let size = 2; size <= 9; size++) {
    const cuts: number[] = [];
    for (let i = size; i < bytes.length; i += size) cuts.push(i);
    runChunked(bytes, cuts, exp, `${what} chunks of ${size}`);
  }
}


/** Deterministic text with code points of every encoded length, including the range edges. */
function mixedText(codePoints: number, seed: number): Buffer {
  const edges = [0x00, 0x7f, 0x80, 0x7ff, 0x800, 0xd7ff, 0xe000, 0xfffd, 0xffff, 0x10000, 0x10ffff, 0x3ba, 0x20ac, 0x1f600];
  const next = prng(seed);
  const cps: number[] = [...edges];
  while (cps.length < codePoints) {
    const r = next();
    switch (r % 4) {
      case 0:
        cps.push(0x20 + (r >>> 8) % 0x5f);
        break;
      case 1:
        cps.push(0x80 + (r >>> 8) % 0x780);
        break;
      case 2: {
        const cp = 0x800 + (r >>> 8) % 0xf800;
        cps.push(cp >= 0xd800 && cp <= 0xdfff ? cp + 0x800 : cp);
        break;
      }
      default:
        cps.push(0x10000 + (r >>> 8) % 0x100000);
    }
  }
  return Buffer.from(String.fromCodePoint(...cps), 'utf8');
}

// ------------------------------------------------------------------ tests

describe('UTF-8 vectors (utf8-vectors.json, cases 6.5–6.23)', () => {
  test('132 vectors, and their validity flags agree with both references', () => {
    assert.equal(vectors.length, 132);
    for (const v of vectors) {
      const e = expected(hex(v.hex));
      assert.equal(e.complete, v.valid, `vector ${v.id}`);
    }
  });

  test('isValidUtf8 agrees with the validity flag of every vector', () => {
    for (const v of vectors) assert.equal(isValidUtf8(hex(v.hex)), v.valid, `vector ${v.id}`);
  });

  test('every vector: same validity, complete and errorIndex however it is chunked (2 and 3 pieces, octet by octet)', () => {
    for (const v of vectors) {
      const bytes = hex(v.hex);
      const exp = expected(bytes);
      everyChunking(bytes, exp, `vector ${v.id}`, { threePieces: true });
    }
  });

  test('every vector embedded in a longer valid message: the error index is counted from the message start', () => {
    const prefix = mixedText(40, 3);
    const suffix = mixedText(20, 4);
    for (const v of vectors) {
      const bytes = Buffer.concat([prefix, hex(v.hex), suffix]);
      const exp = expected(bytes);
      if (!v.valid) {
        // An invalid vector either fails inside itself or (a truncated code point) at the next octet.
        assert.ok(exp.errorIndex >= prefix.length && exp.errorIndex <= prefix.length + v.hex.length / 2, v.id);
      } else assert.equal(exp.errorIndex, -1);
      everyChunking(bytes, exp, `vector ${v.id} in context`, { threePieces: false });
    }
  });
});

describe('RFC 3629 §4 syntax: specific sequences', () => {
  const cases: Array<[string, string, number, boolean]> = [
    // [name, hex, errorIndex, complete]
    ['empty message', '', -1, true],
    ['ASCII', '48656c6c6f', -1, true],
    ['U+0080 (smallest 2-octet)', 'c280', -1, true],
    ['U+07FF (largest 2-octet)', 'dfbf', -1, true],
    ['U+0800 (smallest 3-octet)', 'e0a080', -1, true],
    ['U+D7FF (last before surrogates)', 'ed9fbf', -1, true],
    ['U+E000 (first after surrogates)', 'ee8080', -1, true],
    ['U+FFFF', 'efbfbf', -1, true],
    ['U+10000 (smallest 4-octet)', 'f0908080', -1, true],
    ['U+10FFFF (largest code point)', 'f48fbfbf', -1, true],
    ['overlong 2-octet C0 AF', 'c0af', 0, false],
    ['overlong 2-octet C1 BF', 'c1bf', 0, false],
    ['overlong 3-octet E0 80 AF', 'e080af', 1, false],
    ['overlong 3-octet E0 9F BF', 'e09fbf', 1, false],
    ['overlong 4-octet F0 80 80 AF', 'f08080af', 1, false],
    ['overlong 4-octet F0 8F BF BF', 'f08fbfbf', 1, false],
    ['surrogate U+D800', 'eda080', 1, false],
    ['surrogate U+DFFF', 'edbfbf', 1, false],
    ['above U+10FFFF: F4 90 80 80', 'f4908080', 1, false],
    ['F5 lead', 'f5808080', 0, false],
    ['FE', 'fe', 0, false],
    ['FF', 'ff', 0, false],
    ['lone continuation', '80', 0, false],
    ['continuation after a complete 2-octet', 'c280bf', 2, false],
    ['lead followed by ASCII', 'c241', 1, false],
    ['3-octet lead followed by ASCII after one continuation', 'e28241', 2, false],
    ['4-octet lead followed by a new lead', 'f09f98f0', 3, false],
    ['truncated 2-octet at the end', '41c2', -1, false],
    ['truncated 3-octet at the end', '41e282', -1, false],
    ['truncated 4-octet at the end', '41f09f98', -1, false],
    ['truncated E0 that could still be valid', 'e0a0', -1, false],
    ['truncated F4 that could still be valid', 'f48f', -1, false],
  ];
  for (const [name, h, errorIndex, complete] of cases) {
    test(`${name}: errorIndex ${errorIndex}, complete ${complete}, under every chunking`, () => {
      const bytes = hex(h);
      const exp = expected(bytes);
      assert.deepEqual(exp, { errorIndex, complete }, 'fixture disagrees with the references');
      everyChunking(bytes, exp, name, { threePieces: true });
    });
  }
});

describe('longer texts (2-, 3- and 4-octet code points)', () => {
  const text = mixedText(600, 1);

  test('the generated text is valid and uses every sequence length', () => {
    assert.ok(tdValid(text));
    const leads = new Set<number>(Array.from(text, (b) => (b < 0x80 ? 1 : b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 0)));
    for (const n of [1, 2, 3, 4]) assert.ok(leads.has(n), `no ${n}-octet sequence`);
  });

  test('valid text: complete under every 2-piece split, octet by octet and fixed chunk sizes', () => {
    everyChunking(text, { errorIndex: -1, complete: true }, 'text', { threePieces: false });
  });

  test('text ending inside a code point: valid but not complete, under every split', () => {
    let cut = 200;
    while ((text[cut]! & 0xc0) === 0x80) cut--; // end the prefix on a code point boundary
    for (const tail of ['c3', 'e282', 'f09f98', 'f4']) {
      const bytes = Buffer.concat([text.subarray(0, cut), hex(tail)]);
      const exp = expected(bytes);
      assert.deepEqual(exp, { errorIndex: -1, complete: false });
      everyChunking(bytes, exp, `text + ${tail}`, { threePieces: false });
    }
  });

  test('corruptions injected at many positions: exact errorIndex under every split', () => {
    const base = text.subarray(0, 400);
    const injections = ['ff', 'c0', '80', 'eda080', 'e08080', 'f4908080', 'c241', 'f09f41'];
    const next = prng(99);
    for (let round = 0; round < 24; round++) {
      const at = next() % (base.length - 4);
      const inj = hex(injections[round % injections.length]!);
      // Replace octets starting at `at` (which may fall inside a code point of the text).
      const bytes = Buffer.from(base);
      inj.copy(bytes, at);
      const exp = expected(bytes);
      // (Replacing a continuation octet by 80 can leave the text valid: errorIndex -1.)
      assert.ok(exp.errorIndex <= at + inj.length, `round ${round}`);
      everyChunking(bytes, exp, `corruption ${round} at ${at}`, { threePieces: false });
    }
  });

  test('large text (about 1 MB): random chunkings, valid and with one bad octet near the end', () => {
    const big = Buffer.concat(Array.from({ length: 60 }, (_, i) => mixedText(5000, 1000 + i)));
    const bad = Buffer.from(big);
    const at = big.length - 1234;
    // Make `at` the start of a code point, then put an invalid octet there.
    let p = at;
    while ((bad[p]! & 0xc0) === 0x80) p--;
    bad[p] = 0xf8;
    const expBad = tableCheck(bad);
    assert.equal(expBad.errorIndex, p);
    assert.equal(tdValid(bad), false);
    assert.ok(tdValid(big));
    const next = prng(7);
    for (let round = 0; round < 6; round++) {
      const cuts: number[] = [];
      for (let i = 0; ; ) {
        i += 1 + (next() % (round < 3 ? 70000 : 700));
        if (i >= big.length) break;
        cuts.push(i);
      }
      runChunked(big, cuts, { errorIndex: -1, complete: true }, `big text, chunking ${round}`);
      runChunked(bad, cuts, expBad, `big text with error, chunking ${round}`);
    }
  });
});

describe('Utf8Validator state', () => {
  test('after a failure every further chunk reports the same errorIndex; complete stays false', () => {
    const v = new Utf8Validator();
    assert.deepEqual(v.validate(hex('4142')), { valid: true, errorIndex: -1 });
    assert.deepEqual(v.validate(hex('43ff44')), { valid: false, errorIndex: 3 });
    assert.equal(v.complete, false);
    assert.equal(v.length, 3);
    assert.deepEqual(v.validate(hex('41')), { valid: false, errorIndex: 3 });
    assert.deepEqual(v.validate(hex('')), { valid: false, errorIndex: 3 });
    assert.equal(v.complete, false);
  });

  test('complete is false while a code point is open and true again once it closes', () => {
    const v = new Utf8Validator();
    assert.equal(v.complete, true, 'fresh validator');
    v.validate(hex('f0'));
    assert.equal(v.complete, false);
    v.validate(hex('9f98'));
    assert.equal(v.complete, false);
    v.validate(hex('80'));
    assert.equal(v.complete, true);
    assert.equal(v.length, 4);
  });

  test('reset() starts a new message (after a failure and mid code point)', () => {
    const v = new Utf8Validator();
    v.validate(hex('ff'));
    v.reset();
    assert.equal(v.complete, true);
    assert.equal(v.length, 0);
    assert.deepEqual(v.validate(hex('c3a9')), { valid: true, errorIndex: -1 });
    v.validate(hex('e0'));
    v.reset();
    // 80 would be an invalid continuation after E0 (needs A0..BF); after reset it is a lone continuation.
    assert.deepEqual(v.validate(hex('41 80')), { valid: false, errorIndex: 1 });
    v.reset();
    // E0 / ED narrow the next octet to A0..BF / 80..9F; a reset must also clear that narrowing.
    for (const [lead, next] of [
      ['e0', 'e18080'],
      ['ed', 'e1bfbf'],
      ['f0', 'f1808080'],
      ['f4', 'f1bfbfbf'],
    ]) {
      const b = hex(next);
      for (let p = 0; p <= b.length; p++) {
        v.reset();
        v.validate(hex(lead));
        v.reset();
        const r1 = v.validate(b.subarray(0, p));
        const r2 = v.validate(b.subarray(p));
        assert.ok(r1.valid && r2.valid && v.complete, `${lead} then reset then ${next} split at ${p}`);
      }
    }
  });

  test('the narrowed range after E0/ED/F0/F4 applies only to the first continuation octet', () => {
    for (const [h, ok] of [
      ['e0a080', true],
      ['e0a0bf', true],
      ['ed9f80', true],
      ['ed9fbf', true],
      ['f0908080', true],
      ['f090bfbf', true],
      ['f48f8080', true],
      ['f48fbfbf', true],
    ] as const) {
      for (let p = 0; p <= h.length / 2; p++) {
        const v = new Utf8Validator();
        const b = hex(h);
        v.validate(b.subarray(0, p));
        const r = v.validate(b.subarray(p));
        assert.equal(r.valid && v.complete, ok, `${h} split at ${p}`);
      }
    }
  });
});
