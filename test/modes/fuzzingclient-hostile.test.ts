// fuzzingclient against hostile servers (test/peers, one defect each): one agent per server
// whatever its Server header says, honest result texts, a total time bound, and an abort that
// returns the cases finished so far.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { runFuzzingClient, type FuzzingClientConfig, type ProgressEvent } from '../../src/modes/fuzzingclient.js';
import { withPeer } from '../peers/base.js';
import * as changesServerHeader from '../peers/changes-server-header.js';
import * as closesInsteadOfEchoing from '../peers/closes-instead-of-echoing.js';
import * as silentAfterHandshake from '../peers/silent-after-handshake.js';
import * as correctEcho from '../peers/correct-echo.js';

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

  test('control: a correct server is not affected by the time bound when it is not reached', async () => {
    await withPeer(correctEcho.start, async (peer) => {
      const run = await runFuzzingClient(config(peer.url, ['1.1.1', '1.1.2'], { maxTimeSeconds: 3600, signal: new AbortController().signal }));
      assert.deepEqual(run.outcomes.map((o) => [o.result.id, o.result.behavior]), [['1.1.1', 'OK'], ['1.1.2', 'OK']]);
      assert.deepEqual([run.notRun, run.interrupted], [0, false]);
    });
  });
});
