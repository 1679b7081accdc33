// Compressed messages shared between cases that send the same sequence: the peer must receive the
// octets it would have received had each case compressed its messages itself.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { MessageDeflater, MessageInflater } from '../../src/protocol/deflate.js';
import { SharedCompressedStreams, MemoryStorage, type CompressedStorage } from '../../src/fuzz/shared-compression.js';
import { FileStorage } from '../../src/modes/compression-files.js';
import { FuzzEngine } from '../../src/fuzz/engine.js';
import { DEFAULT_OPTIONS } from '../../src/fuzz/options.js';
import type { CaseDefinition } from '../../src/fuzz/case.js';
import { FrameDecoder } from '../../src/protocol/frame.js';

/** A message sequence with repeats (so that context takeover has something to refer to). */
function sequence(count: number, size: number): Buffer[] {
  const base = Buffer.concat([Buffer.from('{"agent": "wsfuzz", "case": 12, "ok": true} '.repeat(40)), randomBytes(512)]);
  return Array.from({ length: count }, (_, k) => {
    const out = Buffer.alloc(size);
    for (let i = 0; i < size; i++) out[i] = base[(k * size + i) % base.length]!;
    return out;
  });
}

const variants: Array<[string, () => MessageDeflater]> = [
  ['context takeover, 15-bit window', () => new MessageDeflater(15, false, 'stream', 1)],
  ['no context takeover, 9-bit window', () => new MessageDeflater(9, true, 'stream', 1)],
];

function withStorages(run: (storage: () => CompressedStorage, name: string) => void): void {
  run(() => new MemoryStorage(), 'memory');
  run(() => new FileStorage(fs.mkdtempSync(path.join(os.tmpdir(), 'wsfuzz-test-'))), 'file');
}

describe('shared compressed messages', () => {
  withStorages((storage, storageName) => {
    for (const [name, make] of variants) {
      test(`${storageName}, ${name}: every case gets the octets its own deflater would have produced`, () => {
        const messages = sequence(40, 700);
        const own = make();
        const expected = messages.map((m) => own.compress(m));
        const streams = new SharedCompressedStreams(['s', 's', 's'], storage());
        const variant = own.variant;
        // Case A runs ahead, B follows at a distance, C starts when A is done.
        const got: Record<string, Buffer[]> = { A: [], B: [], C: [] };
        const take = (who: string, k: number) => {
          const out = streams.compressed({ sequence: 's', index: k }, variant, messages[k]!, make);
          assert.ok(out, `${who} message ${k}`);
          got[who]!.push(Buffer.from(out.data));
        };
        for (let k = 0; k < messages.length; k++) {
          take('A', k);
          if (k >= 5) take('B', k - 5);
        }
        for (let k = messages.length - 5; k < messages.length; k++) take('B', k);
        for (let k = 0; k < messages.length; k++) take('C', k);
        for (const who of ['A', 'B', 'C']) {
          assert.deepEqual(got[who], expected.map((e) => e.data), who);
        }
        // And the peer's inflater reads them back.
        const inflater = new MessageInflater(15, false, 1 << 22);
        for (let k = 0; k < messages.length; k++) {
          inflater.beginMessage();
          const out = Buffer.concat([inflater.push(got.C![k]!), inflater.endMessage()]);
          assert.ok(out.equals(messages[k]!), `message ${k} inflates back`);
        }
        streams.close();
      });
    }
  });

  test('a sequence only one case sends is not shared; nor is one joined midway', () => {
    const streams = new SharedCompressedStreams(['once', 'twice', 'twice']);
    const make = () => new MessageDeflater(15, false, 'stream', 1);
    const m = Buffer.from('hello');
    assert.equal(streams.compressed({ sequence: 'once', index: 0 }, 'v', m, make), null);
    assert.equal(streams.compressed({ sequence: 'unknown', index: 0 }, 'v', m, make), null);
    assert.equal(streams.compressed({ sequence: 'twice', index: 3 }, 'v', m, make), null);
    assert.ok(streams.compressed({ sequence: 'twice', index: 0 }, 'v', m, make));
    // A different compressor variant is a different stream.
    assert.ok(streams.compressed({ sequence: 'twice', index: 0 }, 'w', m, make));
    assert.equal(streams.compressed({ sequence: 'twice', index: 2 }, 'v', m, make), null, 'no gap in the sequence');
    streams.close();
  });

  test('when the last case that sends a sequence is over, its stream and file are gone', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wsfuzz-test-'));
    const streams = new SharedCompressedStreams(['s', 's', 't', 't'], new FileStorage(dir));
    const make = () => new MessageDeflater(15, false, 'stream', 1);
    const m = randomBytes(4096);
    streams.compressed({ sequence: 's', index: 0 }, 'v', m, make);
    streams.compressed({ sequence: 't', index: 0 }, 'v', m, make);
    const inner = fs.readdirSync(dir);
    assert.equal(inner.length, 1, 'one temporary directory');
    const files = () => fs.readdirSync(path.join(dir, inner[0]!));
    assert.equal(files().length, 2);
    streams.release('s');
    assert.equal(files().length, 2, 'one case of s is still to run');
    streams.release('s');
    assert.equal(files().length, 1);
    assert.equal(streams.compressed({ sequence: 's', index: 0 }, 'v', m, make), null, 'released: not shared any more');
    streams.close();
    assert.deepEqual(fs.readdirSync(dir), [], 'close removes the temporary directory');
    fs.rmSync(dir, { recursive: true });
  });

  test('a temporary directory that cannot be created: the messages are kept in memory', () => {
    const streams = new SharedCompressedStreams(['s', 's'], new FileStorage('/proc/wsfuzz-no-such-dir'));
    const make = () => new MessageDeflater(15, false, 'stream', 1);
    const messages = sequence(5, 300);
    const a = messages.map((m, k) => Buffer.from(streams.compressed({ sequence: 's', index: k }, 'v', m, make)!.data));
    const b = messages.map((m, k) => Buffer.from(streams.compressed({ sequence: 's', index: k }, 'v', m, make)!.data));
    assert.deepEqual(a, b);
    streams.close();
  });
});

describe('shared compressed messages in the engine', () => {
  /** A server-role engine with deflate agreed, sending `messages` as one sequence. */
  function run(messages: Buffer[], streams: SharedCompressedStreams | undefined, stopSharingAt = -1): Buffer[] {
    const def: CaseDefinition = {
      id: '0.0',
      description: '',
      expectation: '',
      expected: { OK: [] },
      expectedClose: { closedByMe: true, closeCode: [1000], requireClean: true },
      sharedSequence: 's',
      onOpen(s) {
        messages.forEach((m, index) => {
          if (index === stopSharingAt) streams?.close();
          s.sendPrepared(s.prepareMessage(m, true, { sequence: 's', index }));
        });
      },
    };
    const engine = new FuzzEngine(def, DEFAULT_OPTIONS, true, streams ? { compression: streams } : {});
    const deflate = { serverNoContextTakeover: false, serverMaxWindowBits: null, clientNoContextTakeover: false, clientMaxWindowBits: null };
    const out = engine.startServer([Buffer.from('GET / HTTP/1.1\r\n\r\n')], 'GET / HTTP/1.1', 'HTTP/1.1 101 OK\r\n\r\n', deflate, Buffer.alloc(0));
    const data = out.write!.data;
    const frames: Buffer[] = [];
    let current: Buffer[] = [];
    for (const ev of new FrameDecoder().push(data.subarray(data.indexOf('\r\n\r\n') + 4))) {
      if (ev.type === 'payload') current.push(ev.data);
      else if (ev.type === 'end') {
        frames.push(Buffer.concat(current));
        current = [];
      }
    }
    return frames;
  }

  test('two cases sending the same sequence write the octets of a case that compresses alone', () => {
    const messages = sequence(12, 500);
    const alone = run(messages, undefined);
    const streams = new SharedCompressedStreams(['s', 's']);
    assert.deepEqual(run(messages, streams), alone);
    assert.deepEqual(run(messages, streams), alone);
  });

  test('a case whose shared stream goes away midway goes on with its own deflater; the peer still inflates every message', () => {
    const messages = sequence(12, 500);
    const frames = run(messages, new SharedCompressedStreams(['s', 's']), 6);
    const inflater = new MessageInflater(15, false, 1 << 22);
    assert.equal(frames.length, messages.length);
    frames.forEach((frame, k) => {
      inflater.beginMessage();
      assert.ok(Buffer.concat([inflater.push(frame), inflater.endMessage()]).equals(messages[k]!), `message ${k}`);
    });
  });
});
