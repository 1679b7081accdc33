// wsfuzz's verdicts against the `ws` echo server must equal the original suite's (test/fixtures/golden)
// for all 517 cases, with the default parallelism (one case per core; docs/modes.md, Parallel cases).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runFuzzingClient } from '../../src/modes/fuzzingclient.js';
import { startPeerProcess } from '../support/processes.js';
import { disagreements, loadGolden } from '../support/golden.js';

const golden = loadGolden('ws-server-index.json');

test('all 517 cases agree with the original against ws 8.23.0 (permessage-deflate on)', { timeout: 30 * 60_000 }, async () => {
  const peer = await startPeerProcess('peers/ws-echo-server.js');
  const started = performance.now();
  try {
    const run = await runFuzzingClient({
      servers: [{ url: peer.url, agent: 'ws' }],
      cases: ['*'],
      excludeCases: [],
      excludeAgentCases: {},
      options: {},
      userAgent: 'wsfuzz-test',
    });
    assert.equal(run.outcomes.length, 517);
    assert.deepEqual(disagreements(run.outcomes.map((o) => o.result), golden), []);
    console.log(`# ws server: 517/517 verdicts agree with the original (${((performance.now() - started) / 1000).toFixed(1)} s)`);
  } finally {
    await peer.stop();
  }
});
