// wsfuzz's verdicts against the `ws` echo server must equal the original suite's (shared/golden).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runFuzzingClient } from '../../src/modes/fuzzingclient.js';
import { startPeerProcess } from '../support/processes.js';
import { disagreements, loadGolden } from '../support/golden.js';

const golden = loadGolden('ws-server');

test('categories 1-7 and 10 (247 cases) agree with the original against ws 8.23.0', async () => {
  const peer = await startPeerProcess('peers/ws-echo-server.js');
  try {
    const run = await runFuzzingClient({
      servers: [{ url: peer.url, agent: 'ws' }],
      cases: ['1.*', '2.*', '3.*', '4.*', '5.*', '6.*', '7.*', '10.*'],
      excludeCases: [],
      excludeAgentCases: {},
      options: {},
      userAgent: 'wsfuzz-test',
    });
    assert.equal(run.outcomes.length, 247);
    assert.deepEqual(disagreements(run.outcomes.map((o) => o.result), golden), []);
  } finally {
    await peer.stop();
  }
});
