// wsfuzz against hostile peers: every case must end within its time bound with a verdict, never
// crash, and never let memory balloon. Independent peers run concurrently; the peers whose memory
// is measured run alone, one after the other.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import v8 from 'node:v8';
import vm from 'node:vm';
import { setTimeout as sleep } from 'node:timers/promises';
import { runFuzzingClient, type FuzzingClientRun } from '../../src/modes/fuzzingclient.js';
import type { CaseResult } from '../../src/fuzz/result.js';
import type { RunningPeer } from '../peers/base.js';
import * as silentAfterAccept from '../peers/silent-after-accept.js';
import * as silentAfterHandshake from '../peers/silent-after-handshake.js';
import * as garbageHandshake from '../peers/garbage-handshake.js';
import * as garbageFrames from '../peers/garbage-frames.js';
import * as badAcceptKey from '../peers/bad-accept-key.js';
import * as unsolicitedExtension from '../peers/unsolicited-extension.js';
import * as ignoresClose from '../peers/ignores-close.js';
import * as neverClosesTcp from '../peers/never-closes-tcp.js';
import * as dropsTcpOnClose from '../peers/drops-tcp-on-close.js';
import * as doesNotEcho from '../peers/does-not-echo.js';
import * as echoesLate from '../peers/echoes-late.js';
import * as flood from '../peers/flood.js';
import * as hugeLength from '../peers/huge-length.js';
import * as pingFloodNoRead from '../peers/ping-flood-no-read.js';

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

const VERDICTS = ['OK', 'NON-STRICT', 'FAILED', 'WRONG CODE', 'UNCLEAN', 'FAILED BY CLIENT', 'INFORMATIONAL', 'UNIMPLEMENTED'];
const NEVER_OPEN = 'The WebSocket opening handshake was never completed!';
const MB = 1024 * 1024;

/** The fuzzer's engine timeouts (seconds, docs/engine.md, Timers). */
const OPEN_HANDSHAKE = 5;
const CLOSE_HANDSHAKE = 1;
const SERVER_DROP = 1;
/** Slack for scheduling: several peers share this process and its event loop. */
const MARGIN = 1.5;

/** Cheap cases and the time their own timers may keep the connection open (seconds). */
const CASE_TIMER: Record<string, number> = {
  '1.1.1': 1, // KILL(1)
  '2.1': 1, // CLOSE(1)
  '5.19': 2, // LATER(1), then CLOSE(1)
};
const CASES = Object.keys(CASE_TIMER);

interface Timed {
  result: CaseResult;
  notes: string[];
  /** Wall-clock seconds from the previous case's end (or the run's start) to this case's end. */
  seconds: number;
}

/** `agent` null: none configured (the report falls back to the Server header or UnknownServer). */
async function runTimed(url: string, cases: string[], agent: string | null = 'hostile'): Promise<{ run: FuzzingClientRun; timed: Timed[] }> {
  let last = performance.now();
  const seconds = new Map<string, number>();
  const run = await runFuzzingClient(
    {
      servers: [agent === null ? { url } : { url, agent }],
      cases,
      excludeCases: [],
      excludeAgentCases: {},
      options: {},
      userAgent: 'wsfuzz-test',
      // One case at a time: each case's time is measured from the previous case's end.
      jobs: 1,
    },
    (event) => {
      if (event.kind !== 'case-done') return;
      const now = performance.now();
      seconds.set(event.outcome.result.id, (now - last) / 1000);
      last = now;
    },
  );
  const timed = run.outcomes.map((o) => ({ result: o.result, notes: o.notes, seconds: seconds.get(o.result.id)! }));
  return { run, timed };
}

/** Every case ended in time, with a verdict, and without a wsfuzz internal error. */
function assertBounded(name: string, timed: Timed[], cases: string[], opens: boolean): void {
  assert.deepEqual(timed.map((t) => t.result.id), cases, `${name}: every case reported`);
  for (const { result: r, notes, seconds } of timed) {
    const what = `${name} / ${r.id}`;
    const bound = opens ? CASE_TIMER[r.id]! + CLOSE_HANDSHAKE + SERVER_DROP + MARGIN : OPEN_HANDSHAKE + MARGIN;
    assert.ok(seconds < bound, `${what}: took ${seconds.toFixed(2)} s, bound ${bound} s`);
    assert.ok(VERDICTS.includes(r.behavior), `${what}: behavior ${r.behavior}`);
    assert.ok(VERDICTS.includes(r.behaviorClose), `${what}: behaviorClose ${r.behaviorClose}`);
    assert.ok(r.result.length > 0 && r.resultClose.length > 0, what);
    assert.equal(r.resultClose === NEVER_OPEN, !opens, `${what}: opening handshake ${opens ? 'should' : 'should not'} complete`);
    assert.ok(!notes.some((n) => n.startsWith('wsfuzz internal error')), `${what}: ${notes.join('; ')}`);
    assert.doesNotThrow(() => JSON.stringify(r), what);
  }
}

interface Hostile {
  name: string;
  start: () => Promise<RunningPeer>;
  cases?: string[];
  /** Does the opening handshake complete? */
  opens: boolean;
  /** Peer-specific facts about how each case ended. */
  check?: (r: CaseResult) => void;
}

const HOSTILE: Hostile[] = [
  {
    name: 'silent-after-accept',
    start: silentAfterAccept.start,
    cases: ['1.1.1', '2.1'],
    opens: false,
    check: (r) => assert.deepEqual([r.wasOpenHandshakeTimeout, r.droppedByMe, r.httpResponse], [true, true, '?'], r.id),
  },
  {
    name: 'garbage-handshake',
    start: garbageHandshake.start,
    opens: false,
    check: (r) => {
      assert.equal(r.wasOpenHandshakeTimeout, false, `${r.id}: garbage is rejected, not waited out`);
      assert.equal(r.droppedByMe, true, r.id);
      assert.ok(r.wasNotCleanReason, r.id);
    },
  },
  {
    name: 'bad-accept-key',
    start: badAcceptKey.start,
    opens: false,
    check: (r) => assert.match(r.wasNotCleanReason ?? '', /^HTTP Sec-WebSocket-Accept bogus value : expected \S+ \/ got \S+$/),
  },
  {
    name: 'unsolicited-extension',
    start: unsolicitedExtension.start,
    opens: false,
    check: (r) => assert.match(r.wasNotCleanReason ?? '', /^server wants to use extension 'permessage-deflate'/),
  },
  {
    name: 'silent-after-handshake',
    start: silentAfterHandshake.start,
    opens: true,
    check: (r) =>
      assert.deepEqual(
        [r.behavior, r.behaviorClose, r.closedByMe, r.wasCloseHandshakeTimeout, r.droppedByMe],
        ['FAILED', 'UNCLEAN', true, true, true],
        r.id,
      ),
  },
  {
    name: 'garbage-frames',
    start: garbageFrames.start,
    opens: true,
    // The fuzzer notices the protocol violation itself and fails the connection with 1002.
    check: (r) => assert.deepEqual([r.behavior, r.failedByMe, r.closedByMe, r.localCloseCode], ['FAILED', true, true, 1002], r.id),
  },
  {
    name: 'ignores-close',
    start: ignoresClose.start,
    opens: true,
    check: (r) => assert.deepEqual([r.behaviorClose, r.droppedByMe, r.wasClean], ['UNCLEAN', true, false], r.id),
  },
  {
    name: 'never-closes-tcp',
    start: neverClosesTcp.start,
    opens: true,
    check: (r) => assert.equal(r.droppedByMe, true, r.id),
  },
  { name: 'drops-tcp-on-close', start: dropsTcpOnClose.start, opens: true },
  { name: 'does-not-echo', start: doesNotEcho.start, opens: true },
  { name: 'echoes-late', start: echoesLate.start, opens: true },
];

describe('hostile peers: bounded time, a verdict, no crash', { concurrency: true }, () => {
  for (const peer of HOSTILE) {
    const cases = peer.cases ?? CASES;
    // A hang must fail the test, not stall the run: far beyond the sum of the per-case bounds.
    test(peer.name, { timeout: cases.length * (OPEN_HANDSHAKE + MARGIN) * 1000 + 10_000 }, async () => {
      const running = await peer.start();
      try {
        const { timed } = await runTimed(running.url, cases);
        assertBounded(peer.name, timed, cases, peer.opens);
        for (const t of timed) peer.check?.(t.result);
      } finally {
        await running.close();
      }
    });
  }

  test('unreachable server: every case FAILED with "Could not connect", server flagged unreachable', { timeout: 15_000 }, async () => {
    const port = await closedPort();
    const cases = ['1.1.1', '1.1.2', '2.1', '5.19', '7.9.1'];
    const started = performance.now();
    const { run } = await runTimed(`ws://127.0.0.1:${port}`, cases, null);
    assert.ok(performance.now() - started < 5000, 'refused connections are reported at once');
    assert.deepEqual(run.outcomes.map((o) => o.result.id), cases);
    for (const { result: r } of run.outcomes) {
      assert.equal(r.behavior, 'FAILED', r.id);
      assert.ok(r.result.startsWith('Could not connect'), `${r.id}: ${r.result}`);
      assert.deepEqual([r.behaviorClose, r.resultClose], ['FAILED', NEVER_OPEN], r.id);
      assert.equal(r.agent, 'UnknownServer', r.id);
    }
    assert.equal(run.servers.length, 1);
    assert.equal(run.servers[0]!.unreachable, true);
    assert.match(run.servers[0]!.firstConnectError ?? '', /ECONNREFUSED/);
  });
});

// ---------------------------------------------------------------------------------------------
// Memory: Buffers live outside the V8 heap, so "heap" here is heapUsed + arrayBuffers.

function heapAndBuffers(): number {
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
}

/** Collect garbage; ArrayBuffer backing stores are released a little after the collection itself. */
async function settle(): Promise<number> {
  for (let i = 0; i < 3; i++) {
    gc();
    await sleep(20);
  }
  return heapAndBuffers();
}

/**
 * Run `fn` while sampling live memory: every 250 ms a full collection, then a sample 20 ms later
 * (so garbage not yet collected does not count). Growth over the collected baseline: the peak of
 * those samples, and what is still retained afterwards (results included).
 */
async function measured<T>(fn: () => Promise<T>): Promise<{ value: T; peakGrowth: number; retainedGrowth: number }> {
  const baseline = await settle();
  let peak = 0;
  let pending: NodeJS.Timeout | null = null;
  const sampler = setInterval(() => {
    gc();
    pending = setTimeout(() => {
      peak = Math.max(peak, heapAndBuffers() - baseline);
    }, 20);
  }, 250);
  try {
    const value = await fn();
    clearInterval(sampler);
    if (pending) clearTimeout(pending);
    return { value, peakGrowth: peak, retainedGrowth: (await settle()) - baseline };
  } finally {
    clearInterval(sampler);
    if (pending) clearTimeout(pending);
  }
}

const MEMORY_BOUND = 200 * MB;

describe('hostile peers: memory stays bounded', { timeout: 120_000 }, () => {
  test('huge-length 2^63-1: the never-ending frame is cut off (safety limit or kill timer)', async () => {
    const peer = await hugeLength.start();
    try {
      const { value: timed, peakGrowth, retainedGrowth } = await measured(async () => (await runTimed(peer.url, CASES)).timed);
      assertBounded('huge-length 2^63-1', timed, CASES, true);
      for (const { result: r } of timed) {
        assert.deepEqual([r.behavior, r.failedByMe, r.closedByMe], ['FAILED', true, true], r.id);
        assert.ok(r.localCloseCode === 1009 || r.localCloseCode === 1001, `${r.id}: local close ${r.localCloseCode}`);
      }
      assert.ok(peakGrowth < MEMORY_BOUND, `peak growth ${(peakGrowth / MB).toFixed(0)} MB`);
      assert.ok(retainedGrowth < MEMORY_BOUND, `retained growth ${(retainedGrowth / MB).toFixed(0)} MB`);
    } finally {
      await peer.close();
    }
  });

  test('huge-length 2^63: rejected as an invalid length at the header', async () => {
    const peer = await hugeLength.start(2n ** 63n);
    try {
      const { value: timed, peakGrowth } = await measured(async () => (await runTimed(peer.url, CASES)).timed);
      assertBounded('huge-length 2^63', timed, CASES, true);
      for (const { result: r } of timed) {
        assert.deepEqual(
          [r.behavior, r.failedByMe, r.closedByMe, r.localCloseCode, r.localCloseReason],
          ['FAILED', true, true, 1002, 'invalid data frame length (>2^63)'],
          r.id,
        );
      }
      assert.ok(peakGrowth < MEMORY_BOUND, `peak growth ${(peakGrowth / MB).toFixed(0)} MB`);
    } finally {
      await peer.close();
    }
  });

  test('ping flood to a peer that never reads: bounded time, bounded memory', async () => {
    // Cases that stay OPEN about 1 s only. wsfuzz writes the pongs it owes without backpressure, so
    // they pile up in memory for as long as a case stays OPEN (1.1.6, KILL(10): about 900,000
    // pending pongs, 115 MB of frames plus their write requests, and the case ends seconds late).
    const cases = ['1.1.1', '2.1'];
    const peer = await pingFloodNoRead.start();
    try {
      const { value: timed, peakGrowth } = await measured(async () => (await runTimed(peer.url, cases)).timed);
      assertBounded('ping-flood-no-read', timed, cases, true);
      for (const { result: r } of timed) {
        // The peer never answers the fuzzer's Close: the close handshake times out.
        assert.deepEqual([r.behavior, r.behaviorClose, r.wasCloseHandshakeTimeout], ['FAILED', 'UNCLEAN', true], r.id);
        assert.ok((r.rxFrameStats.get(9) ?? 0) > 1000, `${r.id}: the peer flooded pings`);
      }
      assert.ok(peakGrowth < MEMORY_BOUND, `peak growth ${(peakGrowth / MB).toFixed(0)} MB`);
    } finally {
      await peer.close();
    }
  });

  test('flood of pongs and data messages: bounded time, bounded memory', async () => {
    const peer = await flood.start();
    try {
      const { value: timed, peakGrowth, retainedGrowth } = await measured(async () => (await runTimed(peer.url, CASES)).timed);
      assertBounded('flood', timed, CASES, true);
      for (const { result: r } of timed) assert.equal(r.behavior, 'FAILED', r.id);
      assert.ok(retainedGrowth < MEMORY_BOUND, `retained growth ${(retainedGrowth / MB).toFixed(0)} MB`);
      // KNOWN WSFUZZ BUG (fails until fixed): the observed-event list is capped by count (10,000
      // events), not by size, so each 64 KiB message of the flood stays in memory (in full) until
      // the case ends: about 64 KiB x the binary messages listed in `received` below.
      const held = timed.map(({ result: r }) => `${r.id}: ${r.received.filter((e) => e[0] === 'message' && e[2]).length}`);
      assert.ok(
        peakGrowth < MEMORY_BOUND,
        `peak growth ${(peakGrowth / MB).toFixed(0)} MB; 64 KiB messages held per case: ${held.join(', ')} ` +
          '(src/fuzz/session.ts record() keeps every payload up to MAX_RECORDED_EVENTS)',
      );
    } finally {
      await peer.close();
    }
  });
});

/** A TCP port on 127.0.0.1 that nothing listens on. */
function closedPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}
