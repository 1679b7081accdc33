// Unit tests of src/protocol/deflate.ts: the permessage-deflate message codec (RFC 7692 §7.2,
// docs/cases.md, permessage-deflate), for both engines, checked against plain node:zlib peers.
import { prng, pseudoRandomBytes as randomBytes } from '../support/random.js';
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import zlib from 'node:zlib';
import {
  InflateError,
  MessageDeflater,
  MessageInflater,
  defaultEngine,
  type DeflateEngine,
} from '../../src/protocol/deflate.js';

const hex = (s: string): Buffer => Buffer.from(s.replace(/\s+/g, ''), 'hex');
const TAIL = hex('0000ffff');
const SYNC = zlib.constants.Z_SYNC_FLUSH;
const ENGINES: DeflateEngine[] = ['stream', 'oneshot'];

/** Compressible text: words drawn from a small vocabulary. */
function text(n: number, seed: number): Buffer {
  const words = ['permessage', 'deflate', 'websocket', 'frame', 'κόσμε', 'fuzz', '€uro', '😀', 'the', 'a', 'and', 'close'];
  const next = prng(seed);
  const parts: string[] = [];
  let length = 0;
  while (length < n) {
    const w = words[next() % words.length] + (next() % 7 === 0 ? '\n' : ' ');
    parts.push(w);
    length += Buffer.byteLength(w);
  }
  return Buffer.from(parts.join('')).subarray(0, n);
}

/** A mix of messages: empty, tiny, text, random, repeats of earlier ones, and large. */
function messageSet(seed: number): Buffer[] {
  const t = text(5000, seed);
  return [
    Buffer.from('Hello'),
    Buffer.from('Hello'),
    Buffer.alloc(0),
    t,
    t,
    Buffer.alloc(0),
    Buffer.alloc(0),
    randomBytes(3000, seed + 1),
    text(70_000, seed + 2),
    Buffer.from('x'),
    randomBytes(1, seed + 3),
    t.subarray(100, 4000),
    Buffer.alloc(100_000, 0x20),
    Buffer.alloc(0),
    Buffer.from('end'),
  ];
}

/** Inflate one message given as frame payloads. */
function inflateMessage(inf: MessageInflater, frames: Buffer[]): Buffer {
  inf.beginMessage();
  const parts = frames.map((f) => inf.push(f));
  parts.push(inf.endMessage());
  return Buffer.concat(parts);
}

/** A plain zlib peer: one raw deflate stream, sync-flushed after each message (async API). */
async function zlibPeerCompress(messages: Buffer[], windowBits: number, noContextTakeover: boolean): Promise<Buffer[]> {
  const out: Buffer[] = [];
  let z = zlib.createDeflateRaw({ windowBits });
  for (const m of messages) {
    if (noContextTakeover) {
      z.close();
      z = zlib.createDeflateRaw({ windowBits });
    }
    const chunks: Buffer[] = [];
    const onData = (c: Buffer): number => chunks.push(c);
    z.on('data', onData);
    z.write(m);
    await new Promise<void>((resolve) => z.flush(SYNC, () => resolve()));
    z.off('data', onData);
    const all = Buffer.concat(chunks);
    assert.deepEqual(all.subarray(-4), TAIL, 'zlib peer output does not end with 00 00 ff ff');
    out.push(all.subarray(0, -4));
  }
  z.close();
  return out;
}

/** Raw inflate with a small output chunk, so back-references beyond the window are detected. */
function strictRawInflate(data: Buffer, windowBits: number): Buffer {
  return zlib.inflateRawSync(data, { windowBits, finishFlush: SYNC, chunkSize: 64 });
}

// ------------------------------------------------------------------------------------------------

test('the stream engine is the default on this Node', () => {
  assert.equal(defaultEngine, 'stream');
});

describe('RFC 7692 §7.2.3 examples', () => {
  for (const engine of ENGINES) {
    test(`[${engine}] RFC 7692 §7.2.3.1/§7.2.3.2: "Hello" twice with a shared LZ77 window, deflated and inflated`, () => {
      const d = new MessageDeflater(15, false, engine);
      assert.deepEqual(d.compress(Buffer.from('Hello')), { data: hex('f248cdc9c90700'), compressed: true });
      assert.deepEqual(d.compress(Buffer.from('Hello')), { data: hex('f200110000'), compressed: true });
      const inf = new MessageInflater(15, false, 1 << 20, engine);
      assert.equal(inflateMessage(inf, [hex('f248cdc9c90700')]).toString(), 'Hello');
      assert.equal(inflateMessage(inf, [hex('f200110000')]).toString(), 'Hello');
    });

    test(`[${engine}] RFC 7692 §7.2.3.1: the example split into two frames at every position`, () => {
      const wire = hex('f248cdc9c90700');
      for (let cut = 0; cut <= wire.length; cut++) {
        const inf = new MessageInflater(15, false, 1 << 20, engine);
        assert.equal(inflateMessage(inf, [wire.subarray(0, cut), wire.subarray(cut)]).toString(), 'Hello', `split at ${cut}`);
      }
    });

    test(`[${engine}] RFC 7692 §7.2.3.3: DEFLATE block with no compression`, () => {
      const inf = new MessageInflater(15, false, 1 << 20, engine);
      assert.equal(inflateMessage(inf, [hex('000500faff48656c6c6f00')]).toString(), 'Hello');
    });

    test(`[${engine}] RFC 7692 §7.2.3.2 needs the window: a fresh or no_context_takeover inflater rejects the second message`, () => {
      const fresh = new MessageInflater(15, false, 1 << 20, engine);
      assert.throws(() => inflateMessage(fresh, [hex('f200110000')]), InflateError);
      const reset = new MessageInflater(15, true, 1 << 20, engine);
      assert.equal(inflateMessage(reset, [hex('f248cdc9c90700')]).toString(), 'Hello');
      assert.throws(() => inflateMessage(reset, [hex('f200110000')]), InflateError);
    });
  }
});

describe('RFC 7692 §7.2.1/§7.2.2 round trips', () => {
  for (const engine of ENGINES) {
    for (const noContextTakeover of [false, true]) {
      const mode = noContextTakeover ? 'no_context_takeover' : 'context takeover';
      test(`[${engine}] many messages, ${mode}, window 15: round trip, no 00 00 ff ff tail`, () => {
        const msgs = messageSet(1);
        const d = new MessageDeflater(15, noContextTakeover, engine);
        const inf = new MessageInflater(15, noContextTakeover, 1 << 20, engine);
        for (const [i, m] of msgs.entries()) {
          const c = d.compress(m);
          assert.equal(c.compressed, true);
          assert.ok(c.data.length > 0, `message ${i}: empty compressed payload`);
          assert.notDeepEqual(c.data.subarray(-4), TAIL, `message ${i} ends with 00 00 ff ff`);
          assert.deepEqual(inflateMessage(inf, [c.data]), m, `message ${i}`);
        }
      });
    }

    test(`[${engine}] context takeover makes a repeated message cheaper; no_context_takeover does not`, () => {
      const m = text(2000, 5);
      const keep = new MessageDeflater(15, false, engine);
      const reset = new MessageDeflater(15, true, engine);
      const k1 = keep.compress(m).data.length;
      const k2 = keep.compress(m).data.length;
      const r1 = reset.compress(m).data.length;
      const r2 = reset.compress(m).data.length;
      assert.ok(k2 < k1 / 10, `takeover: ${k1} then ${k2}`);
      assert.equal(r2, r1);
    });

    for (let wb = 9; wb <= 15; wb++) {
      test(`[${engine}] window bits ${wb}: round trip in both context modes, references stay inside the window`, () => {
        for (const noContextTakeover of [false, true]) {
          const msgs = [text(3000, wb), randomBytes(700, wb), text(3000, wb), Buffer.alloc(0), text(40_000, wb + 1), randomBytes(700, wb)];
          const d = new MessageDeflater(wb, noContextTakeover, engine);
          const inf = new MessageInflater(wb, noContextTakeover, 1 << 20, engine);
          const payloads = msgs.map((m) => d.compress(m).data);
          payloads.forEach((p, i) => assert.deepEqual(inflateMessage(inf, [p]), msgs[i], `message ${i}`));
          // A plain raw inflater with this window (small output chunks) accepts the stream too.
          if (noContextTakeover) {
            payloads.forEach((p, i) => assert.deepEqual(strictRawInflate(Buffer.concat([p, TAIL]), wb), msgs[i]));
          } else {
            const stream = Buffer.concat(payloads.flatMap((p) => [p, TAIL]));
            assert.deepEqual(strictRawInflate(stream, wb), Buffer.concat(msgs));
          }
        }
      });
    }

    test(`[${engine}] window bits 8: MessageDeflater sends messages uncompressed`, () => {
      for (const noContextTakeover of [false, true]) {
        const d = new MessageDeflater(8, noContextTakeover, engine);
        for (const m of [Buffer.from('Hello'), text(1000, 8), Buffer.alloc(0)]) {
          const c = d.compress(m);
          assert.equal(c.compressed, false);
          assert.deepEqual(c.data, m);
        }
      }
    });

    test(`[${engine}] inflater window bits 8..14: a reference just beyond the window is rejected, one more bit accepts it`, () => {
      for (let wb = 8; wb <= 14; wb++) {
        const block = randomBytes((1 << wb) + 44, wb);
        const d = new MessageDeflater(15, false, 'stream');
        const p1 = d.compress(block).data;
        const p2 = d.compress(block).data; // refers back (1 << wb) + 44 octets, into the previous message
        assert.ok(p2.length < block.length / 20, 'the second copy is not made of back-references');
        const narrow = new MessageInflater(wb, false, 1 << 20, engine);
        assert.deepEqual(inflateMessage(narrow, [p1]), block);
        assert.throws(() => inflateMessage(narrow, [p2]), InflateError, `window ${wb}`);
        const wide = new MessageInflater(wb + 1, false, 1 << 20, engine);
        assert.deepEqual(inflateMessage(wide, [p1]), block);
        assert.deepEqual(inflateMessage(wide, [p2]), block, `window ${wb + 1}`);
      }
    });
  }

  test('the two engines interoperate in both directions', () => {
    for (const [from, to] of [
      ['stream', 'oneshot'],
      ['oneshot', 'stream'],
    ] as const) {
      for (const noContextTakeover of [false, true]) {
        for (const wb of [9, 12, 15]) {
          const msgs = messageSet(wb);
          const d = new MessageDeflater(wb, noContextTakeover, from);
          const inf = new MessageInflater(wb, noContextTakeover, 1 << 20, to);
          for (const [i, m] of msgs.entries()) {
            assert.deepEqual(inflateMessage(inf, [d.compress(m).data]), m, `${from} -> ${to}, window ${wb}, message ${i}`);
          }
        }
      }
    }
  });
});

describe('interoperability with a plain node:zlib peer', () => {
  for (const engine of ENGINES) {
    test(`[${engine}] what MessageDeflater sends, with the tails put back, is one raw DEFLATE stream`, () => {
      const msgs = messageSet(3);
      const d = new MessageDeflater(15, false, engine);
      const stream = Buffer.concat(msgs.flatMap((m) => [d.compress(m).data, TAIL]));
      assert.deepEqual(zlib.inflateRawSync(stream, { finishFlush: SYNC }), Buffer.concat(msgs));
      // ...and every prefix of whole messages inflates to the prefix of the text.
      const d2 = new MessageDeflater(15, false, engine);
      let acc = Buffer.alloc(0);
      let expect = Buffer.alloc(0);
      for (const m of msgs.slice(0, 8)) {
        acc = Buffer.concat([acc, d2.compress(m).data, TAIL]);
        expect = Buffer.concat([expect, m]);
        assert.deepEqual(zlib.inflateRawSync(acc, { finishFlush: SYNC }), expect);
      }
    });

    test(`[${engine}] with no_context_takeover every message inflates on its own`, () => {
      const d = new MessageDeflater(15, true, engine);
      for (const m of messageSet(4)) {
        assert.deepEqual(zlib.inflateRawSync(Buffer.concat([d.compress(m).data, TAIL]), { finishFlush: SYNC }), m);
      }
    });

    for (const noContextTakeover of [false, true]) {
      for (const wb of [9, 15]) {
        test(`[${engine}] inflates what a zlib stream peer sends (window ${wb}, ${noContextTakeover ? 'no_context_takeover' : 'context takeover'})`, async () => {
          const msgs = messageSet(5 + wb);
          const payloads = await zlibPeerCompress(msgs, wb, noContextTakeover);
          const inf = new MessageInflater(wb, noContextTakeover, 1 << 20, engine);
          payloads.forEach((p, i) => assert.deepEqual(inflateMessage(inf, [p]), msgs[i], `message ${i}`));
        });
      }
    }
  }
});

describe('frame-split input to MessageInflater.push', () => {
  for (const engine of ENGINES) {
    test(`[${engine}] a compressed message split into two frames at every position`, () => {
      const d = new MessageDeflater(15, false, engine);
      const first = text(3000, 7);
      const second = Buffer.concat([text(1500, 7), randomBytes(200, 7)]);
      const p1 = d.compress(first).data;
      const p2 = d.compress(second).data;
      for (let cut = 0; cut <= p2.length; cut++) {
        const inf = new MessageInflater(15, false, 1 << 20, engine);
        assert.deepEqual(inflateMessage(inf, [p1]), first);
        const got = inflateMessage(inf, [p2.subarray(0, cut), p2.subarray(cut)]);
        if (!got.equals(second)) assert.fail(`split at ${cut}`);
      }
    });

    test(`[${engine}] one octet per frame, and empty frames`, () => {
      const d = new MessageDeflater(15, false, engine);
      const inf = new MessageInflater(15, false, 1 << 20, engine);
      for (const m of [text(2000, 9), Buffer.alloc(0), text(2000, 9)]) {
        const p = d.compress(m).data;
        const frames = [Buffer.alloc(0), ...Array.from(p, (b) => Buffer.from([b])), Buffer.alloc(0)];
        assert.deepEqual(inflateMessage(inf, frames), m);
      }
    });
  }

  test("only 'stream' inflates per push; 'oneshot' returns everything at endMessage", () => {
    const m = text(300_000, 11);
    for (const engine of ENGINES) {
      const p = new MessageDeflater(15, false, engine).compress(m).data;
      const inf = new MessageInflater(15, false, 1 << 20, engine);
      inf.beginMessage();
      const frames = Array.from({ length: 10 }, (_, i) => p.subarray(Math.floor((i * p.length) / 10), Math.floor(((i + 1) * p.length) / 10)));
      const perPush = frames.map((f) => inf.push(f).length);
      const end = inf.endMessage();
      const total = perPush.reduce((a, b) => a + b, 0) + end.length;
      assert.equal(total, m.length, engine);
      if (engine === 'stream') {
        assert.ok(perPush.every((n) => n > 0), `stream: ${perPush.join(',')}`);
        assert.ok(end.length < m.length / 2);
      } else {
        assert.deepEqual(perPush, new Array(10).fill(0));
        assert.deepEqual(end, m);
      }
    }
  });
});

describe('docs/cases.md, permessage-deflate: a message ending with a final (BFINAL) block', () => {
  // RFC 7692 §7.2.3.4: "Hello" in a block with BFINAL set (f3 48 cd c9 c9 07 00) followed by the
  // start (00) of the empty stored block whose 00 00 ff ff the sender removed.
  const finalHello = hex('f348cdc9c9070000');
  // The next message continues with the LZ77 window: "Hello" as a back-reference (RFC 7692 §7.2.3.2).
  const refHello = hex('f200110000');

  for (const engine of ENGINES) {
    test(`[${engine}] the inflater restarts after the final block and keeps the window`, () => {
      const inf = new MessageInflater(15, false, 1 << 20, engine);
      assert.equal(inflateMessage(inf, [finalHello]).toString(), 'Hello');
      assert.equal(inflateMessage(inf, [refHello]).toString(), 'Hello');
      assert.equal(inflateMessage(inf, [finalHello]).toString(), 'Hello');
      assert.equal(inflateMessage(inf, [hex('f248cdc9c90700')]).toString(), 'Hello');
      assert.equal(inflateMessage(inf, [refHello]).toString(), 'Hello');
    });

    test(`[${engine}] same, with both messages split into two frames at every position`, () => {
      for (let a = 0; a <= finalHello.length; a++) {
        for (let b = 0; b <= refHello.length; b++) {
          const inf = new MessageInflater(15, false, 1 << 20, engine);
          assert.equal(inflateMessage(inf, [finalHello.subarray(0, a), finalHello.subarray(a)]).toString(), 'Hello', `split ${a}`);
          assert.equal(inflateMessage(inf, [refHello.subarray(0, b), refHello.subarray(b)]).toString(), 'Hello', `split ${a}/${b}`);
        }
      }
    });

    test(`[${engine}] a zlib peer that finishes every message (Z_FINISH) with context takeover`, () => {
      // Each message is a complete raw stream compressed against the previous messages as dictionary.
      const msgs = [text(3000, 21), text(3000, 21), text(500, 22), Buffer.from('Hello')];
      const inf = new MessageInflater(15, false, 1 << 20, engine);
      let history = Buffer.alloc(0);
      for (const [i, m] of msgs.entries()) {
        const opts: zlib.ZlibOptions = history.length > 0 ? { dictionary: history.subarray(-32768) } : {};
        const finished = zlib.deflateRawSync(m, opts);
        // RFC 7692 §7.2.1: append an empty stored block (00 00 00 ff ff), then remove 00 00 ff ff.
        const payload = Buffer.concat([finished, hex('00')]);
        assert.deepEqual(inflateMessage(inf, [payload]), m, `message ${i}`);
        history = Buffer.concat([history, m]);
      }
    });
  }
});

describe('errors and limits', () => {
  for (const engine of ENGINES) {
    test(`[${engine}] corrupt input raises InflateError`, () => {
      const corrupt = [
        hex('ff'), // BTYPE 11 (reserved)
        hex('0005000000'), // stored block whose NLEN is not the complement of LEN
        hex('f248cdc9c907ff'), // invalid distance code after a valid start
      ];
      for (const c of corrupt) {
        const inf = new MessageInflater(15, false, 1 << 20, engine);
        assert.throws(() => inflateMessage(inf, [c]), InflateError, c.toString('hex'));
      }
      // A corrupt message after good ones.
      const d = new MessageDeflater(15, false, engine);
      const inf = new MessageInflater(15, false, 1 << 20, engine);
      assert.deepEqual(inflateMessage(inf, [d.compress(text(5000, 3)).data]), text(5000, 3));
      assert.throws(() => inflateMessage(inf, [hex('ff')]), InflateError);
    });

    test(`[${engine}] output limit: exactly the limit passes, one octet more raises InflateError`, () => {
      const limit = 10_000;
      for (const [len, ok] of [
        [limit, true],
        [limit + 1, false],
      ] as const) {
        const m = text(len, 13);
        const p = new MessageDeflater(15, true, engine).compress(m).data;
        const inf = new MessageInflater(15, true, limit, engine);
        if (ok) assert.deepEqual(inflateMessage(inf, [p]), m);
        else assert.throws(() => inflateMessage(inf, [p.subarray(0, 50), p.subarray(50)]), /exceeds payload limit of 10000 octets/);
      }
    });

    test(`[${engine}] the limit applies per message, not per connection`, () => {
      const limit = 10_000;
      const d = new MessageDeflater(15, false, engine);
      const inf = new MessageInflater(15, false, limit, engine);
      for (let i = 0; i < 5; i++) {
        const m = text(6000, 30 + i);
        assert.deepEqual(inflateMessage(inf, [d.compress(m).data]), m);
      }
    });

    test(`[${engine}] deflate bomb (64 MiB of zeros) with a 1 MiB limit: InflateError, no large allocation`, () => {
      // Sync-flushed segments concatenate into one stream: 64 x 1 MiB of zeros.
      const segment = zlib.deflateRawSync(Buffer.alloc(1 << 20), { finishFlush: SYNC });
      const bomb = Buffer.concat(Array.from({ length: 64 }, () => segment)).subarray(0, -4);
      assert.ok(bomb.length < 80_000);
      const inf = new MessageInflater(15, false, 1 << 20, engine);
      const before = process.memoryUsage().arrayBuffers;
      const frames = Array.from({ length: 16 }, (_, i) => bomb.subarray((i * bomb.length) >> 4, ((i + 1) * bomb.length) >> 4));
      assert.throws(() => inflateMessage(inf, frames), (err: unknown) => {
        assert.ok(err instanceof InflateError, String(err));
        return true;
      });
      const grown = process.memoryUsage().arrayBuffers - before;
      assert.ok(grown < 32 * (1 << 20), `external memory grew by ${grown} octets`);
    });

    test(`[${engine}] incompressible data above the limit raises InflateError`, () => {
      const m = randomBytes(5000, 17);
      const p = new MessageDeflater(15, true, engine).compress(m).data;
      assert.ok(p.length > m.length, 'stored blocks');
      const inf = new MessageInflater(15, true, 4999, engine);
      assert.throws(() => inflateMessage(inf, [p]), InflateError);
    });
  }
});

describe('empty messages with context takeover', () => {
  for (const engine of ENGINES) {
    test(`[${engine}] empty messages between others keep the peer's stream valid`, async () => {
      const msgs = [Buffer.from('abcabc'), Buffer.alloc(0), Buffer.from('abcabcxyz'), Buffer.alloc(0), Buffer.alloc(0), Buffer.from('hello')];
      const d = new MessageDeflater(15, false, engine);
      const payloads = msgs.map((m) => d.compress(m).data);
      // A raw inflater reading all messages as one stream...
      assert.equal(zlib.inflateRawSync(Buffer.concat(payloads.flatMap((p) => [p, TAIL])), { finishFlush: SYNC }).toString(), 'abcabcabcabcxyzhello');
      // ...a zlib stream fed message by message (as ws does)...
      const z = zlib.createInflateRaw();
      const got: Buffer[] = [];
      for (const p of payloads) {
        const chunks: Buffer[] = [];
        const onData = (c: Buffer): number => chunks.push(c);
        z.on('data', onData);
        z.write(Buffer.concat([p, TAIL]));
        await new Promise<void>((resolve) => z.flush(SYNC, () => resolve()));
        z.off('data', onData);
        got.push(Buffer.concat(chunks));
      }
      z.close();
      assert.deepEqual(got.map((b) => b.toString()), msgs.map((m) => m.toString()));
      // ...and both engines' inflaters.
      for (const e of ENGINES) {
        const inf = new MessageInflater(15, false, 1 << 20, e);
        assert.deepEqual(payloads.map((p) => inflateMessage(inf, [p]).toString()), msgs.map((m) => m.toString()), e);
      }
    });
  }
});
