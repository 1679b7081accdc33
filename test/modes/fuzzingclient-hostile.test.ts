// fuzzingclient against hostile servers (test/peers, one defect each): one agent per server
// whatever its Server header says, honest result texts, a total time bound, and an abort that
// returns the cases finished so far.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { runFuzzingClient, type FuzzingClientConfig, type ProgressEvent } from '../../src/modes/fuzzingclient.js';
import { startPeer, withPeer } from '../peers/base.js';
import * as changesServerHeader from '../peers/changes-server-header.js';
import * as closesInsteadOfEchoing from '../peers/closes-instead-of-echoing.js';
import * as silentAfterHandshake from '../peers/silent-after-handshake.js';
import * as correctEcho from '../peers/correct-echo.js';
import * as pongFlood from '../peers/pong-flood.js';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { CaseFiler } from '../../src/report/case-files.js';
import { writeReports } from '../../src/report/write.js';
import { WIRELOG_MAX_BYTES } from '../../src/fuzz/wirelog.js';
import { tempDir } from '../support/client-run.js';

function config(url: string, cases: string[], extra: Partial<FuzzingClientConfig> = {}): FuzzingClientConfig {
  return { servers: [{ url }], cases, excludeCases: [], excludeAgentCases: {}, options: {}, userAgent: 'wsfuzz-test', ...extra };
}

describe('fuzzingclient against hostile servers', () => {
  test('changes-server-header: a server is one agent, named by its first response', async () => {
    await withPeer(changesServerHeader.start, async (peer) => {
      const run = await runFuzzingClient(config(peer.url, ['1.1.1', '1.1.2', '2.1']));
      assert.deepEqual(run.outcomes.map((o) => o.result.agent), ['shifty-1', 'shifty-1', 'shifty-1']);
      assert.equal(run.servers[0]!.agent, 'shifty-1');
    });
  });

  test('changes-server-header: exclude-agent-cases applies to the one agent of the server', async () => {
    await withPeer(changesServerHeader.start, async (peer) => {
      const run = await runFuzzingClient(config(peer.url, ['1.1.1', '1.1.2'], { excludeAgentCases: { 'shifty-1': ['1.1.2'] } }));
      assert.deepEqual(run.outcomes.map((o) => o.result.id), ['1.1.1']);
    });
  });

  test('closes-instead-of-echoing: no "did not finish within N seconds" when the peer ended the case at once', async () => {
    await withPeer(closesInsteadOfEchoing.start, async (peer) => {
      const run = await runFuzzingClient(config(peer.url, ['9.1.1', '9.7.1']));
      const byId = new Map(run.outcomes.map((o) => [o.result.id, o.result]));
      assert.deepEqual(
        [byId.get('9.1.1')!.behavior, byId.get('9.1.1')!.result],
        ['FAILED', 'Did not receive the message: the peer ended the connection first.'],
      );
      assert.deepEqual(
        [byId.get('9.7.1')!.behavior, byId.get('9.7.1')!.result],
        ['FAILED', 'Case did not finish: the peer ended the connection before every message was echoed.'],
      );
    });
  });

  test('silent-after-handshake with a time bound: the first case runs, the rest are reported as not run', async () => {
    await withPeer(silentAfterHandshake.start, async (peer) => {
      // One case at a time: 1.1.1 alone takes longer than the bound (its own timer is 1 s), so
      // nothing else may start.
      const run = await runFuzzingClient(config(peer.url, ['1.1.1', '1.1.2', '2.1'], { maxTimeSeconds: 0.5, jobs: 1 }));
      assert.deepEqual(run.outcomes.map((o) => o.result.id), ['1.1.1', '1.1.2', '2.1']);
      assert.equal(run.notRun, 2);
      assert.ok(!run.outcomes[0]!.result.result.startsWith('Not run'));
      for (const o of run.outcomes.slice(1)) {
        assert.deepEqual([o.result.behavior, o.result.result], ['FAILED', "Not run: the run's time limit of 0.5 s (--max-time) was reached."]);
      }
    });
  });

  test('an abort returns at once with the cases finished so far', async () => {
    await withPeer(silentAfterHandshake.start, async (peer) => {
      const controller = new AbortController();
      const onProgress = (event: ProgressEvent) => {
        if (event.kind === 'case-done') controller.abort();
      };
      // One case at a time: the abort comes while 1.1.1 reports its result, so no further case starts.
      const run = await runFuzzingClient(config(peer.url, ['1.1.1', '2.1', '1.1.2', '1.1.3'], { signal: controller.signal, jobs: 1 }), onProgress);
      assert.equal(run.interrupted, true);
      assert.deepEqual(run.outcomes.map((o) => o.result.id), ['1.1.1']);
    });
  });

  test('an abort while a case runs: the running case may still end (within a short bound) and is reported', async () => {
    const controller = new AbortController();
    // A correct echo server that interrupts the run as soon as the first case is connected.
    await withPeer(
      () => startPeer({ onOpen: () => controller.abort() }),
      async (peer) => {
        // One case at a time: 1.1.2 would otherwise start beside 1.1.1 before the abort.
        const run = await runFuzzingClient(config(peer.url, ['1.1.1', '1.1.2', '2.1'], { signal: controller.signal, jobs: 1 }));
        assert.equal(run.interrupted, true);
        assert.deepEqual(run.outcomes.map((o) => [o.result.id, o.result.behavior, o.result.behaviorClose]), [['1.1.1', 'OK', 'OK']]);
      },
    );
  });

  test('control: a correct server is not affected by the time bound when it is not reached', async () => {
    await withPeer(correctEcho.start, async (peer) => {
      const run = await runFuzzingClient(config(peer.url, ['1.1.1', '1.1.2'], { maxTimeSeconds: 3600, signal: new AbortController().signal }));
      assert.deepEqual(run.outcomes.map((o) => [o.result.id, o.result.behavior]), [['1.1.1', 'OK'], ['1.1.2', 'OK']]);
      assert.deepEqual([run.notRun, run.interrupted], [0, false]);
    });
  });
  test('pong-flood: case files are written as cases finish, cut by size; the run keeps only summaries', async () => {
    await withPeer(pongFlood.start, async (peer) => {
      const outdir = path.join(tempDir('flood'), 'reports');
      const meta = { product: 'wsfuzz-test', generatedAt: new Date() };
      const filer = new CaseFiler(outdir, meta);
      const run = await runFuzzingClient(config(peer.url, ['1.1.1', '2.1'], { onOutcome: (o, due) => filer.file(o, due) }));
      // Handed on, written and slimmed before the run resolved.
      for (const o of run.outcomes) {
        assert.deepEqual(o.filed, { stem: 'unknownserver', ...(o.result.id === '1.1.1' ? { next: '2.1' } : { previous: '1.1.1' }) });
        assert.deepEqual([o.result.wirelog.length, o.result.received.length, o.result.rxFrameStats.size], [0, 0, 0]);
      }
      const written = await writeReports(outdir, run.outcomes, meta);
      const index = JSON.parse(await readFile(written.indexJson, 'utf8')) as Record<string, Record<string, { reportfile: string }>>;
      assert.deepEqual(Object.keys(index.UnknownServer!), ['1.1.1', '2.1']);
      for (const { reportfile } of Object.values(index.UnknownServer!)) {
        const file = path.join(outdir, reportfile);
        const page = JSON.parse(await readFile(file, 'utf8')) as { wirelog: unknown[]; rxFrameStats: Record<string, number> };
        assert.ok(page.rxFrameStats['10']! >= pongFlood.PONGS, `${reportfile}: every pong counted`);
        assert.ok(page.wirelog.length < pongFlood.PONGS / 4, `${reportfile}: ${page.wirelog.length} entries kept`);
        // The wire log's share is bounded by WIRELOG_MAX_BYTES, the observed events by count (10,000): each
        // file stays within 2 MiB (an uncut log made some 15 MB per file).
        for (const f of [file, file.replace(/\.json$/, '.html')]) assert.ok((await stat(f)).size < 4 * WIRELOG_MAX_BYTES, f);
        assert.match(await readFile(file.replace(/\.json$/, '.html'), 'utf8'), /The wire log was cut at 512 KiB of report text/);
      }
      assert.ok((await readFile(written.indexHtml, 'utf8')).endsWith('</html>\n'));
    });
  });
});
