// The wire log (src/fuzz/wirelog.ts): entries kept as lengths and first octets, formatted as the
// reports show them; cut by estimated report size, with statistics still complete.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hexdump, payloadText, WireLog, WIRELOG_MAX_BYTES } from '../../src/fuzz/wirelog.js';

test('entries are formatted from what was kept: hexdumps and payload texts abbreviated as in the reports', () => {
  const log = new WireLog();
  const big = Buffer.alloc(70_000, 0x41);
  const octets = Buffer.from('8180d365b226', 'hex');
  log.rxOctets(big);
  log.txOctets(octets, true);
  log.rxFrame(big.length, big.subarray(0, 64), 1, true, 0, true, Buffer.from('01020304', 'hex'));
  log.txFrame(Buffer.from([0xff, 0xfe]), 2, false, 4, null, 10, 3, false);
  log.marker(['KL', 1]);
  // The buffers given may be reused by the caller: the log keeps copies.
  big.fill(0x42);
  octets.fill(0);
  assert.deepEqual(log.entries, [
    ['RO', [70_000, hexdump(Buffer.alloc(70_000, 0x41))]],
    ['TO', [6, '8180d365b226'], true],
    ['RF', [70_000, payloadText(Buffer.alloc(70_000, 0x41)).text], 1, true, 0, true, '01020304'],
    ['TF', [2, '0xfffe'], 2, false, 4, null, 10, 3, false],
    ['KL', 1],
  ]);
});

test('a flood is cut at the size bound: the log stays a prefix, statistics count everything', () => {
  const log = new WireLog();
  const frames = 200_000;
  for (let i = 0; i < frames; i++) log.rxFrame(0, Buffer.alloc(0), 10, true, 0, false, null);
  log.marker(['KLE']);
  assert.ok(log.keptBytes <= WIRELOG_MAX_BYTES);
  assert.ok(log.length > 1000 && log.length < frames / 10, `${log.length} kept`);
  assert.equal(log.length + log.dropped, frames + 1);
  assert.equal(log.rxFrameStats.get(10), frames);
  // Nothing is kept after the cut, not even a marker: the log never skips entries.
  assert.deepEqual(log.entries.at(-1), ['RF', [0, ''], 10, true, 0, false, null]);
});
