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
import { FileStorage, StorageBudget } from '../../src/modes/compression-files.js';
import { FuzzEngine } from '../../src/fuzz/engine.js';
import { DEFAULT_OPTIONS } from '../../src/fuzz/options.js';
import type { CaseDefinition } from '../../src/fuzz/case.js';
import { script } from '../support/script.js';
import { encodeFrame, FrameDecoder, Opcode } from '../../src/protocol/frame.js';

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

test('without a temporary directory, messages are kept in memory within the budget, given back at close', () => {
  const budget = new StorageBudget(0, 2500);
  const streams = new SharedCompressedStreams(['s', 's'], new FileStorage('/proc/wsfuzz-no-such-dir', budget));
  const make = () => new MessageDeflater(15, false, 'stream', 1);
  const messages = Array.from({ length: 4 }, () => randomBytes(1000));
  for (let k = 0; k < messages.length; k++) assert.ok(streams.compressed({ sequence: 's', index: k }, 'v', messages[k]!, make));
  assert.ok(budget.memoryUsed > 0 && budget.memoryUsed <= 2500, `${budget.memoryUsed} octets in memory`);
  assert.ok(streams.compressed({ sequence: 's', index: 1 }, 'v', messages[1]!, make));
  assert.equal(streams.compressed({ sequence: 's', index: 3 }, 'v', messages[3]!, make), null);
  streams.close();
  assert.equal(budget.memoryUsed, 0);
});

test('past the storage budget a message is not kept: a case that needs it compresses itself', () => {
  const budget = new StorageBudget(3000, 0);
  const streams = new SharedCompressedStreams(['s', 's'], new FileStorage(os.tmpdir(), budget));
  const make = () => new MessageDeflater(15, false, 'stream', 1);
  const messages = Array.from({ length: 4 }, () => randomBytes(1000));
  for (let k = 0; k < messages.length; k++) assert.ok(streams.compressed({ sequence: 's', index: k }, 'v', messages[k]!, make));
  assert.ok(budget.fileUsed <= 3000, `${budget.fileUsed} octets kept`);
  assert.ok(streams.compressed({ sequence: 's', index: 0 }, 'v', messages[0]!, make), 'the first messages were kept');
  assert.equal(streams.compressed({ sequence: 's', index: 3 }, 'v', messages[3]!, make), null, 'the last one was not');
  streams.close();
  assert.equal(budget.fileUsed, 0, 'closing gives the budget back');
});

/** A case sending sequence 's' (its messages as `onOpen` decides). */
function sequenceCase(onOpen: CaseDefinition['onOpen']): CaseDefinition {
  return script(onOpen, { sharedSequence: 's' });
}

/** A server-role engine for `def` with permessage-deflate agreed (context takeover both ways); its first write. */
function openServer(def: CaseDefinition, streams: SharedCompressedStreams | undefined) {
  const engine = new FuzzEngine(def, DEFAULT_OPTIONS, true, streams ? { compression: streams } : {});
  const deflate = { serverNoContextTakeover: false, serverMaxWindowBits: null, clientNoContextTakeover: false, clientMaxWindowBits: null };
  const first = engine.startServer([Buffer.from('GET / HTTP/1.1\r\n\r\n')], 'GET / HTTP/1.1', 'HTTP/1.1 101 OK\r\n\r\n', deflate, Buffer.alloc(0));
  return { engine, first };
}

describe('shared compressed messages in the engine', () => {
  /** A server-role engine with deflate agreed, sending `messages` as one sequence. */
  function run(messages: Buffer[], streams: SharedCompressedStreams | undefined, stopSharingAt = -1): Buffer[] {
    const def = sequenceCase((s) => {
      messages.forEach((m, index) => {
        if (index === stopSharingAt) streams?.close();
        s.sendPrepared(s.prepareMessage(m, true, { sequence: 's', index }));
      });
    });
    const data = openServer(def, streams).first.write!.data;
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

describe('known echoes: a compressed echo an earlier case inflated is not inflated again', () => {
  const MASK = Buffer.from([9, 8, 7, 6]);

  /** The peer's echo frames: each message compressed by `compress`, sent as one masked frame with RSV1. */
  function echoFrames(compressed: Buffer[]): Buffer[] {
    return compressed.map((payload) => encodeFrame({ opcode: Opcode.BINARY, payload, rsv: 4, mask: MASK }));
  }

  /** A server-role engine sending `messages` as sequence 's' and checking each echo; returns what it was handed. */
  function run(messages: Buffer[], echoes: Buffer[], streams: SharedCompressedStreams): { handed: Buffer[]; inflated: number } {
    const handed: Buffer[] = [];
    const def = sequenceCase((s) => {
      s.enableWirelog(false);
      let sent = 0;
      const send = () => {
        s.expectEcho({ position: { sequence: 's', index: sent }, payload: messages[sent]! });
        s.sendPrepared(s.prepareMessage(messages[sent]!, true, { sequence: 's', index: sent }));
        sent++;
      };
      send();
      return {
        onMessage(payload) {
          handed.push(payload);
          if (sent < messages.length) send();
        },
      };
    });
    const { engine } = openServer(def, streams);
    // Count the peer's messages that went through zlib.
    let inflated = 0;
    const receiver = (engine as unknown as { receiver: { inflater: MessageInflater } }).receiver;
    const inflater = receiver.inflater;
    const endMessage = inflater.endMessage.bind(inflater);
    inflater.endMessage = () => {
      inflated++;
      return endMessage();
    };
    for (const frame of echoFrames(echoes)) {
      // Split each frame in two reads, so that the comparison runs over pieces.
      const cut = Math.floor(frame.length / 2);
      engine.receive(frame.subarray(0, cut));
      engine.receive(frame.subarray(cut));
    }
    return { handed, inflated };
  }

  /** The peer's side: its own context-takeover deflater (level 6, like `ws`). */
  function peerEchoes(messages: Buffer[]): Buffer[] {
    const d = new MessageDeflater(15, false, 'stream', 6);
    return messages.map((m) => Buffer.from(d.compress(m).data));
  }

  /** Ten messages, the peer's echoes of them, and a store in which a first connection inflated them. */
  function afterFirstConnection() {
    const messages = sequence(10, 600);
    const echoes = peerEchoes(messages);
    const streams = new SharedCompressedStreams(['s', 's', 's']);
    const first = run(messages, echoes, streams);
    return { messages, echoes, streams, first };
  }

  test('the same echoes on a second connection: handed the expected messages, none inflated', () => {
    const { messages, echoes, streams, first } = afterFirstConnection();
    assert.deepEqual(first.handed, messages);
    assert.equal(first.inflated, 10);
    const second = run(messages, echoes, streams);
    assert.deepEqual(second.handed, messages);
    assert.equal(second.inflated, 0);
    streams.close();
  });

  test('a corrupted echo after known ones is inflated and handed as it is', () => {
    const { messages, streams } = afterFirstConnection();
    // Message 6's echo: one octet changed near its end (a different message, or invalid DEFLATE).
    const corrupted = peerEchoes(messages.map((m, k) => (k === 6 ? Buffer.concat([m.subarray(0, 590), Buffer.from('CORRUPTED!')]) : m)));
    const second = run(messages, corrupted, streams);
    assert.equal(second.handed.length, 10);
    assert.deepEqual(second.handed.slice(0, 6), messages.slice(0, 6));
    assert.ok(!second.handed[6]!.equals(messages[6]!));
    assert.equal(second.handed[6]!.subarray(590).toString(), 'CORRUPTED!');
    // The later echoes refer back to messages 0-6 as the peer compressed them; they inflate right.
    assert.deepEqual(second.handed.slice(7), messages.slice(7));
    assert.equal(second.inflated, 4);
    streams.close();
  });

  test('after known echoes, an echo compressed otherwise still inflates against the window they left', () => {
    const { messages, echoes, streams } = afterFirstConnection();
    // A peer that compresses message 5 on with another level: its octets differ, and refer back
    // into messages 0-4, which this connection never inflated.
    const d = new MessageDeflater(15, false, 'stream', 6);
    const other = new MessageDeflater(15, false, 'stream', 1);
    const mixed = messages.map((m, k) => {
      const fromOther = Buffer.from(other.compress(m).data);
      return k < 5 ? Buffer.from(d.compress(m).data) : fromOther;
    });
    assert.ok(mixed.slice(0, 5).every((e, k) => e.equals(echoes[k]!)));
    assert.ok(!mixed[5]!.equals(echoes[5]!), 'message 5 differs on the wire');
    const second = run(messages, mixed, streams);
    assert.deepEqual(second.handed, messages);
    assert.equal(second.inflated, 5);
    streams.close();
  });
});
